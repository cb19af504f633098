"""scrapyd, the alternative to cron that Scrapy users know, end to end on loopback: a real scrapyd,
the project deployed with scrapyd-deploy (an egg built from the project, as the README says), a crawl
of the mirror scheduled through its JSON API, and the items it stored fetched back."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from belitong_crawler.mirror_server import MIRROR_ROOT, MirrorServer
from tests.conftest import PROJECT_ROOT, free_port, get_json, serving

EXPECTED_IDS = sorted(int(p.stem) for p in (MIRROR_ROOT.parent / "expected").glob("*.json"))
BIN = Path(sys.executable).parent


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    folder = tmp_path / "scrapyd"
    folder.mkdir()
    (folder / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\neggs_dir = {folder}/eggs\nlogs_dir = {folder}/logs\n"
        f"items_dir = {folder}/items\ndbs_dir = {folder}/dbs\npoll_interval = 0.2\nmax_proc = 1\n",
        "utf-8",
    )
    server = subprocess.Popen(
        [str(BIN / "scrapyd"), "--pidfile", str(folder / "scrapyd.pid")],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    root = f"http://127.0.0.1:{port}"
    with serving(server, f"{root}/daemonstatus.json"):
        yield root


def test_deploy_schedule_and_fetch_the_items(scrapyd: str, mirror: MirrorServer, tmp_path: Path) -> None:
    # The project as a user has it, with scrapy.cfg's [deploy] url pointing at this scrapyd.
    project = tmp_path / "project"
    shutil.copytree(
        PROJECT_ROOT,
        project,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "output", "logs", "build", "*.egg-info", "__pycache__", "tests", "benchmarks"
        ),
    )
    config = (project / "scrapy.cfg").read_text("utf-8")
    assert "url = http://localhost:6800/" in config
    (project / "scrapy.cfg").write_text(config.replace("http://localhost:6800/", f"{scrapyd}/"), "utf-8")

    deployed = subprocess.run(
        [str(BIN / "scrapyd-deploy")], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert '"spiders": 1' in deployed.stdout and '"status": "ok"' in deployed.stdout
    assert get_json(f"{scrapyd}/listspiders.json?project=belitong_crawler")["spiders"] == ["belitong"]

    archive = tmp_path / "archive.sqlite"
    job = get_json(
        f"{scrapyd}/schedule.json",
        [
            ("project", "belitong_crawler"),
            ("spider", "belitong"),
            ("base_url", mirror.origin),
            ("setting", "AUTOTHROTTLE_ENABLED=False"),
            ("setting", "DOWNLOAD_DELAY=0"),
            ("setting", f"BELITONG_ARCHIVE={archive}"),
        ],
    )
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 240
    while True:
        jobs = get_json(f"{scrapyd}/listjobs.json?project=belitong_crawler")
        finished = [j for j in jobs["finished"] if j["id"] == job["jobid"]]
        if finished:
            break
        assert time.monotonic() < deadline, jobs
        time.sleep(0.5)
    with urllib.request.urlopen(scrapyd + finished[0]["items_url"], timeout=30) as response:
        items = [json.loads(line) for line in response.read().decode("utf-8").splitlines()]
    assert sorted(item["article_id"] for item in items) == EXPECTED_IDS
    assert {item["revision"] for item in items} == {1}
    with urllib.request.urlopen(scrapyd + finished[0]["log_url"], timeout=30) as response:
        log = response.read().decode("utf-8")
    assert "Run summary: new=24 " in log and log.rstrip().endswith(" ok")
    assert archive.is_file()
