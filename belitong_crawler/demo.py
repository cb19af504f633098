"""Offline demo: serve the bundled mirror of the site on loopback and crawl it, with an archive of its
own, so every journalist tool can be tried with no network.

    belitong demo        (or: python -m belitong_crawler demo)

It writes ``output/demo.sqlite`` (an archive, started afresh each time), ``output/demo.csv`` and
``output/demo.json`` in the project folder, and never touches the real archive
(``output/belitong.sqlite``): the mirror's URLs are loopback addresses. Nothing leaves the machine: the
mirror server rewrites the site's links to its own address.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from belitong_crawler.mirror_server import MIRROR_ROOT, MirrorServer
from belitong_crawler.paths import project_folder

NEXT_STEPS = """
The demo archive is ready. Try, with no network:
  belitong export --archive {archive} --category "Pilkada 2024" -o {output}/pilkada.csv
  belitong export --archive {archive} --query "kampanye -ASN"
  belitong export --archive {archive} --summary {output}/summary
  datasette {archive}          (then open http://127.0.0.1:8001/demo/articles)"""


def main(argv: list[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)  # passed on to scrapy crawl (-a, -s)
    if extra and extra[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if not MIRROR_ROOT.is_dir():
        print(f"demo: error: the bundled mirror is missing ({MIRROR_ROOT})", file=sys.stderr)
        return 2
    output = project_folder() / "output"
    archive = output / "demo.sqlite"
    output.mkdir(parents=True, exist_ok=True)
    for stale in (archive, *(archive.with_name(archive.name + end) for end in ("-wal", "-shm", ".lock"))):
        stale.unlink(missing_ok=True)  # afresh: each demo shows a first run, every article new
    server = MirrorServer(MIRROR_ROOT).start()
    print(f"Serving the offline mirror at {server.origin}/", flush=True)
    try:
        command = [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "belitong",
            "-a",
            f"base_url={server.origin}",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            f"BELITONG_ARCHIVE={archive}",
            "-O",
            str(output / "demo.csv"),
            "-O",
            str(output / "demo.json"),
            *extra,
        ]
        code = subprocess.call(command, cwd=scrapy_project())
    finally:
        server.stop()
    print(
        f"Crawl finished with exit code {code}; {len(server.requests)} requests served. "
        f"Feeds: {output / 'demo.csv'}, {output / 'demo.json'}; archive: {archive}.",
        flush=True,
    )
    if code == 0:
        print(NEXT_STEPS.format(archive=_shown(archive), output=_shown(output)), flush=True)
    return code


def scrapy_project() -> Path:
    """Where ``scrapy crawl`` finds the project: the project folder, or, for an installed package
    run elsewhere, a folder holding a ``scrapy.cfg`` that names the package's settings."""
    folder = project_folder()
    if (folder / "scrapy.cfg").is_file():
        return folder
    folder = folder / "output" / ".demo-project"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scrapy.cfg").write_text("[settings]\ndefault = belitong_crawler.settings\n", "utf-8")
    return folder


def _shown(path: Path) -> str:
    """A path as a user would type it: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
