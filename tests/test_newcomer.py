"""A newcomer's first hour, as the README tells it: the installed ``belitong`` command, the offline
demo and then export, search, summary and Datasette on the demo archive, with no network; ``scrapy
parse`` on an article; and every command and setting the project has, documented."""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from belitong_crawler import settings
from belitong_crawler.mirror_server import MIRROR_ROOT, MirrorServer
from tests.conftest import PROJECT_ROOT, free_port, get_json, serving
from tests.forkserver import ModuleProcess

README = (PROJECT_ROOT / "README.md").read_text("utf-8")
BELITONG = shutil.which("belitong", path=str(Path(sys.executable).parent)) or "belitong"
EXPECTED = {
    a["article_id"]: a
    for a in (json.loads(p.read_text("utf-8")) for p in (MIRROR_ROOT.parent / "expected").glob("*.json"))
}


def readme_block(heading: str) -> list[str]:
    """The command lines of the first ``sh`` block under ``heading`` in the README."""
    section = README.split(heading, 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_the_first_hour_offline_as_the_readme_tells_it(tmp_path: Path) -> None:
    commands = readme_block("### Your first hour, offline")
    assert commands[0] == "belitong demo" and commands[-1] == "datasette output/demo.sqlite"
    folder = tmp_path / "belitong_crawler"  # a clone's folder: its scrapy.cfg, no output/ yet
    folder.mkdir()
    shutil.copy(PROJECT_ROOT / "scrapy.cfg", folder)
    outputs = {}
    for line in commands[:-1]:
        argv = shlex.split(line)
        done = run([BELITONG, *argv[1:]], folder)
        assert done.returncode == 0, (line, done.stdout[-2000:], done.stderr[-2000:])
        outputs[line] = done
    demo = outputs["belitong demo"]
    assert "Serving the offline mirror at http://127.0.0.1:" in demo.stdout
    assert "The demo archive is ready" in demo.stdout
    assert (folder / "output" / "demo.sqlite").is_file()
    assert sorted(
        a["article_id"] for a in json.loads((folder / "output" / "demo.json").read_text("utf-8"))
    ) == sorted(EXPECTED)
    assert not (folder / "output" / "belitong.sqlite").exists()  # the real archive is untouched

    with (folder / "output" / "pilkada.csv").open(encoding="utf-8-sig", newline="") as handle:
        pilkada = sorted(int(row["article_id"]) for row in csv.DictReader(handle))
    assert pilkada == sorted(i for i, a in EXPECTED.items() if a["category"] == "Pilkada 2024")

    searched = next(done for line, done in outputs.items() if "--query" in line)
    found = sorted(json.loads(row)["article_id"] for row in searched.stdout.splitlines())
    assert found == [52280, 52296, 52447]

    summary = folder / "output" / "summary"
    assert (summary / "articles_per_day.png").stat().st_size > 10_000
    assert {p.suffix for p in summary.iterdir()} == {".csv", ".png"}

    port = free_port()
    server = subprocess.Popen(
        [*shlex.split(commands[-1]), "--port", str(port)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    with serving(server, f"http://127.0.0.1:{port}/-/versions.json"):
        query = urllib.parse.urlencode({"_search": "kampanye -ASN", "_shape": "objects", "_col": "title"})
        rows = get_json(f"http://127.0.0.1:{port}/demo/articles.json?{query}")["rows"]
    assert sorted(row["article_id"] for row in rows) == found


def test_the_installed_command_works_outside_any_project(tmp_path: Path) -> None:
    """What ``pip install .`` gives: the ``belitong`` command, with the demo's mirror inside the package."""
    help_text = run([BELITONG, "--help"], tmp_path)
    assert help_text.returncode == 0
    for command in ("export", "capture", "demo", "mirror"):
        assert re.search(rf"^  {command} ", help_text.stdout, re.M)
        assert run([BELITONG, command, "--help"], tmp_path).returncode == 0
        assert f"`belitong {command}" in README, f"the README does not show `belitong {command}`"
    demo = run([BELITONG, "demo"], tmp_path)
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    assert len(json.loads((tmp_path / "output" / "demo.json").read_text("utf-8"))) == len(EXPECTED)


def test_scrapy_parse_reads_an_article_page_and_leaves_nothing_behind(
    mirror: MirrorServer, tmp_path: Path
) -> None:
    shutil.copy(PROJECT_ROOT / "scrapy.cfg", tmp_path)
    url = f"{mirror.origin}/read/52431/masa-kampanye-pilkada-2024-diskominfo-belitung-imbau-asn-bijaksana-gunakan-medsos"
    for _ in range(2):  # twice: a second look is the same (no archive to find it unchanged)
        done = scrapy(
            [
                "parse",
                "--spider=belitong",
                "-c",
                "parse_article",
                "--pipelines",
                "-a",
                f"base_url={mirror.origin}",
                url,
            ],
            tmp_path,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert "Traceback" not in done.stderr
        assert "'title': 'Masa Kampanye Pilkada 2024, Diskominfo Belitung Imbau ASN '" in done.stdout
        assert "'published_at': '2024-10-01T18:56:00+07:00'" in done.stdout
    assert not (tmp_path / "output").exists()  # no archive, no feed files
    listing = scrapy(
        [
            "parse",
            "--spider=belitong",
            "-c",
            "parse_listing",
            "-a",
            f"base_url={mirror.origin}",
            f"{mirror.origin}/kategori/5/pilkada-2024",
        ],
        tmp_path,
    )
    assert listing.returncode == 0 and "Traceback" not in listing.stderr
    assert f"<GET {mirror.origin}/read/52491/" in listing.stdout


def scrapy(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """``python -m scrapy ARGV`` in ``cwd`` (a fork of the tests' preloaded interpreter: forkserver.py)."""
    fast = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]  # a loopback server needs no delay
    done = ModuleProcess("scrapy", [*argv, *fast], cwd, stderr_apart=True).result(300)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def test_every_setting_and_cron_variable_is_documented() -> None:
    names = [name for name in vars(settings) if name.startswith("BELITONG_")]
    assert len(names) >= 7
    wrapper = (PROJECT_ROOT / "bin" / "belitong-cron").read_text("utf-8")
    names += sorted(set(re.findall(r"\bBELITONG_CRON_[A-Z_]+", wrapper)))
    for name in names:
        assert re.search(rf"^\| `{name}` \|", README, re.M), f"{name} has no row in the README's tables"
    assert not re.search(r"(?<!\.)\.\./", README), "the README points outside the repository"
