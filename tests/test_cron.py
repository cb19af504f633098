"""Cron hygiene, with the real wrapper (bin/belitong-cron) and real crawls of the mirror: the log
rotates, a failed run prints its summary line to stdout (cron mails it), a good run prints nothing,
runs with nothing new leave no empty feed files, and the project's files stay in the project folder
whichever folder the run starts from."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from belitong_crawler.mirror_server import MIRROR_ROOT, MirrorServer
from tests.conftest import PROJECT_ROOT

EXPECTED_IDS = sorted(int(p.stem) for p in (MIRROR_ROOT.parent / "expected").glob("*.json"))
FAST = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project as a user has it (scrapy.cfg, the package, bin/, its .venv), so that
    runs write its output/ and logs/ and not this checkout's."""
    root = tmp_path_factory.mktemp("clone") / "belitong_crawler"
    root.mkdir()
    shutil.copy(PROJECT_ROOT / "scrapy.cfg", root)
    shutil.copytree(PROJECT_ROOT / "bin", root / "bin")
    shutil.copytree(
        PROJECT_ROOT / "belitong_crawler",
        root / "belitong_crawler",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    (root / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)  # the wrapper's python
    return root


@pytest.fixture(scope="module")
def mirror_site() -> Iterator[MirrorServer]:
    server = MirrorServer(MIRROR_ROOT).start()
    yield server
    server.stop()


def cron(project: Path, *args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(project), **env}
    return subprocess.run(
        [str(project / "bin" / "belitong-cron"), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def feeds(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "output").glob("belitong-*.*"))


def test_runs_from_anywhere_use_the_project_folder_and_leave_no_empty_feeds(
    project: Path, mirror_site: MirrorServer, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    first = cron(project, "-a", f"base_url={mirror_site.origin}", *FAST, cwd=elsewhere)
    assert first.returncode == 0, (project / "logs" / "belitong-cron.log").read_text("utf-8")[-3000:]
    assert first.stdout == "" and first.stderr == ""  # nothing for cron to mail
    assert not (elsewhere / "output").exists() and not (elsewhere / "logs").exists()
    assert (project / "output" / "belitong.sqlite").is_file()
    written = feeds(project)
    assert [Path(name).suffix for name in written] == [".csv", ".json"]
    exported = json.loads((project / "output" / written[1]).read_text("utf-8"))
    assert sorted(item["article_id"] for item in exported) == EXPECTED_IDS

    # `scrapy crawl` by hand from a subfolder of the project: the same archive, nothing new, no files
    sub = project / "belitong_crawler" / "spiders"
    again = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "belitong", "-a", f"base_url={mirror_site.origin}", *FAST],
        cwd=sub,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(project)},
        timeout=300,
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert "Run summary: new=0 revised=0 unchanged=0" in again.stderr
    assert feeds(project) == written  # no empty CSV, no "[]" JSON
    assert not (sub / "output").exists()

    # the export command, from anywhere inside the project, reads the project's archive by default
    done = subprocess.run(
        [sys.executable, "-m", "belitong_crawler", "export", "--format", "jsonl"],
        cwd=sub,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(project)},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(json.loads(line)["article_id"] for line in done.stdout.splitlines()) == EXPECTED_IDS


def test_a_failed_run_is_mailed_its_summary_and_the_log_rotates(project: Path, tmp_path: Path) -> None:
    log = tmp_path / "logs" / "cron.log"
    log.parent.mkdir()
    log.write_text("x" * 3000 + "\n", "utf-8")  # over the limit below: rotated before the next run
    env = {"BELITONG_CRON_LOG": str(log), "BELITONG_CRON_LOG_MAX_KB": "2", "BELITONG_CRON_LOG_KEEP": "2"}
    archive = tmp_path / "archive.sqlite"

    bad = cron(project, "-a", "max_pages=-1", cwd=tmp_path, **env)
    assert bad.returncode == 2
    lines = bad.stdout.splitlines()
    assert lines[0] == f"belitong-cron: the crawl failed (exit code 2) in {project}"
    assert "bad argument max_pages" in lines[1] and lines[2] == f"Log: {log}"
    assert (log.parent / "cron.log.1").read_text("utf-8").startswith("xxx")
    assert "bad argument max_pages" in log.read_text("utf-8")

    # the site cannot be reached: the run's own summary line, one line, no traceback
    down = cron(
        project,
        "-a",
        "base_url=http://127.0.0.1:9",
        "-s",
        f"BELITONG_ARCHIVE={archive}",
        *FAST,
        cwd=tmp_path,
        **env,
    )
    assert down.returncode == 1
    summary = down.stdout.splitlines()[1]
    assert "Run summary: new=0" in summary and "FAILED: robots.txt unavailable" in summary
    text = log.read_text("utf-8")
    assert "Traceback" not in text
    assert text.count("is unavailable (it could not be fetched: DownloadConnectionRefusedError") == 1

    log.write_text("y" * 3000 + "\n", "utf-8")
    cron(project, "-a", "max_pages=-1", cwd=tmp_path, **env)
    log.write_text("z" * 3000 + "\n", "utf-8")
    cron(project, "-a", "max_pages=-1", cwd=tmp_path, **env)
    # newest first, two kept: cron.log.1 is z, cron.log.2 is y, and the first log (x) is gone
    assert sorted(p.name for p in log.parent.iterdir()) == ["cron.log", "cron.log.1", "cron.log.2"]
    assert (log.parent / "cron.log.1").read_text("utf-8").startswith("zzz")
    assert (log.parent / "cron.log.2").read_text("utf-8").startswith("yyy")
