"""Offline demo: serve the bundled mirror of the site on loopback and crawl it into ``output/``.

    python -m belitong_crawler.demo

Nothing leaves the machine: the mirror server rewrites the site's links to its own address.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from belitong_crawler.mirror_server import MIRROR_ROOT, MirrorServer

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    extra = list(sys.argv[1:] if argv is None else argv)  # passed on to scrapy crawl (-a, -s, -O)
    if not MIRROR_ROOT.is_dir():
        print(f"demo: error: the bundled mirror is missing ({MIRROR_ROOT})", file=sys.stderr)
        return 2
    server = MirrorServer(MIRROR_ROOT).start()
    print(f"Serving the offline mirror at {server.origin}/", flush=True)
    try:
        command = [sys.executable, "-m", "scrapy", "crawl", "belitong", "-a", f"base_url={server.origin}",
                   "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
                   "-s", "BELITONG_ARCHIVE=", *extra]  # no archive: each demo run exports everything
        code = subprocess.call(command, cwd=PROJECT_ROOT)
    finally:
        server.stop()
    print(f"Crawl finished with exit code {code}; {len(server.requests)} requests served. "
          f"Feeds are in {PROJECT_ROOT / 'output'} unless -o/-O named others.", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
