"""Shared fixtures: the loopback mirror server and a runner for the real ``scrapy crawl``."""

from __future__ import annotations

import compileall
import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from belitong_crawler.mirror_server import (
    CURRENT_LIVE_ORIGIN,
    CURRENT_MIRROR_ROOT,
    LIVE_ORIGIN,
    MIRROR_ROOT,
    MirrorServer,
)
from tests.faultserver import FaultSite, make_gzip_bomb
from tests.forkserver import ModuleProcess

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Fast for a loopback server, and no archive unless a test names one; everything else as users run it.
TEST_SETTINGS = ("AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "LOG_LEVEL=INFO", "BELITONG_ARCHIVE=")


# The test files that take longest (each starts many crawls), longest first. The tests run a file per
# worker (pytest-xdist's loadfile, its files handed out in collection order, not reordered by size:
# pyproject.toml), so the long files start first and the short ones fill the workers' ends.
LONGEST_FIRST = (
    "test_incremental.py",
    "test_hostile.py",
    "test_newcomer.py",
    "test_export.py",
    "test_faults.py",
    "test_scrapyd.py",
    "test_current_layout.py",
    "test_cron.py",
    "test_golden.py",
    "test_search.py",
    "test_listing_walks.py",
    "test_csv_safety.py",
    "test_arguments.py",
    "test_crawl_e2e.py",
    "test_dates.py",
    "test_datasette.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order


def pytest_configure(config: pytest.Config) -> None:
    """Compile the crawler's modules to bytecode once, before any test: every ``scrapy crawl`` and
    ``export`` the tests start then loads them as Python does when it may cache bytecode (with
    PYTHONDONTWRITEBYTECODE set, as on this project's machines, each of those processes compiled
    them all again)."""
    if not hasattr(config, "workerinput"):  # the one process that starts the workers (or runs alone)
        compileall.compile_dir(PROJECT_ROOT / "belitong_crawler", quiet=2)


@dataclass
class CrawlResult:
    returncode: int
    log: str
    output: Path

    def items(self) -> list[dict]:
        if self.output.suffix == ".csv":
            with self.output.open(newline="", encoding="utf-8-sig") as handle:
                return list(csv.DictReader(handle))
        if self.output.suffix == ".jsonl":
            return [json.loads(line) for line in self.output.read_text("utf-8").splitlines()]
        return json.loads(self.output.read_text("utf-8"))


def crawl_arguments(output: Path, *args: str, settings: tuple[str, ...] = ()) -> list[str]:
    """``crawl belitong ARGS -s ... -O output``: the arguments of ``scrapy``, with the test settings."""
    arguments = ["crawl", "belitong", *args]
    for setting in (*TEST_SETTINGS, *settings):
        arguments += ["-s", setting]
    return [*arguments, "-O", str(output)]


def crawl_command(output: Path, *args: str, settings: tuple[str, ...] = ()) -> list[str]:
    """``python -m scrapy crawl belitong ARGS -s ... -O output``, with the test settings."""
    return [sys.executable, "-m", "scrapy", *crawl_arguments(output, *args, settings=settings)]


def start_crawl(
    output: Path,
    *args: str,
    settings: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    fresh: bool = False,
) -> ModuleProcess:
    """Start ``scrapy crawl belitong ARGS -O output`` from the project folder, as a user would, as a
    fork of the tests' Scrapy-loaded interpreter (``fresh``: a new interpreter; see forkserver.py);
    ``env``: variables added to the environment."""
    return ModuleProcess(
        "scrapy",
        crawl_arguments(output, *args, settings=settings),
        PROJECT_ROOT,
        {**os.environ, **(env or {})},
        fresh,
    )


def run_crawl(
    output: Path,
    *args: str,
    settings: tuple[str, ...] = (),
    timeout: int = 300,
    env: dict[str, str] | None = None,
    fresh: bool = False,
) -> CrawlResult:
    """Run ``scrapy crawl belitong ARGS -O output`` to its end (see ``start_crawl``)."""
    process = start_crawl(output, *args, settings=settings, env=env, fresh=fresh)
    log = process.communicate(timeout)
    return CrawlResult(process.returncode, log, output)


@pytest.fixture(scope="session")
def mirror() -> MirrorServer:
    server = MirrorServer(MIRROR_ROOT).start()
    yield server
    server.stop()


@dataclass
class SharedOrigin:
    """A socket listening on 127.0.0.1 that test servers take in turn, one test at a time, so that
    they all have one origin (an archive holds its articles' URLs, origin included); and what tests
    keep to share with later ones in the session (see test_incremental's ``Site.first_crawl``)."""

    listener: socket.socket
    folder: Path
    kept: dict[object, object] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        host, port = self.listener.getsockname()[:2]
        return f"http://{host}:{port}"


@pytest.fixture(scope="session")
def shared_origin(tmp_path_factory: pytest.TempPathFactory) -> SharedOrigin:
    listener = socket.create_server(("127.0.0.1", 0))
    yield SharedOrigin(listener, tmp_path_factory.mktemp("shared"))
    listener.close()


@dataclass
class MirrorCrawl:
    """One crawl of the mirror: its JSON and CSV feeds (the same run's log) and the paths it asked for."""

    json: CrawlResult
    csv: CrawlResult
    requests: list[str]


@pytest.fixture(scope="session")
def mirror_crawl(mirror: MirrorServer, tmp_path_factory: pytest.TempPathFactory) -> MirrorCrawl:
    """A whole crawl of the mirror (the test settings, no archive) writing a JSON and a CSV feed at once,
    as a default run does: made once for the tests that read what a whole crawl exports."""
    folder = tmp_path_factory.mktemp("mirror-crawl")
    mirror.requests.clear()
    result = run_crawl(
        folder / "articles.json",
        "-a",
        f"base_url={mirror.origin}",
        "-O",
        str(folder / "articles.csv"),
    )
    return MirrorCrawl(
        result, CrawlResult(result.returncode, result.log, folder / "articles.csv"), list(mirror.requests)
    )


@pytest.fixture
def fault_site() -> FaultSite:
    """The mirror on a fault-injecting server, with two trap servers that must receive nothing: in
    no test that uses it does any request reach another origin."""
    site = FaultSite().start()
    yield site
    site.stop()
    assert site.trapped() == [], "a request reached another origin"


@pytest.fixture(scope="session")
def gzip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 1 MB of gzip that inflates to 1 GiB, made once per test session."""
    return make_gzip_bomb(tmp_path_factory.mktemp("bomb") / "bomb.gz")


@pytest.fixture(scope="session")
def current_mirror() -> MirrorServer:
    """The current network layout (another Disway paper), served on loopback."""
    server = MirrorServer(CURRENT_MIRROR_ROOT, live_origin=CURRENT_LIVE_ORIGIN).start()
    yield server
    server.stop()


def expected_articles(
    origin: str, root: Path = MIRROR_ROOT, live_origin: str = LIVE_ORIGIN
) -> dict[int, dict]:
    """A mirror's expected exports, with the live origin replaced by the mirror server's."""
    expected = {}
    for path in sorted((root.parent / "expected").glob("*.json")):
        text = path.read_text("utf-8").replace(live_origin, origin)
        article = json.loads(text)
        expected[article["article_id"]] = article
    return expected


def free_port() -> int:
    """A free port on 127.0.0.1, for a server the test starts as a subprocess (Datasette, scrapyd)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str, data: list[tuple[str, str]] | None = None) -> object:
    """GET ``url`` (or POST ``data`` as a form) and read its JSON answer."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(url, data=body, timeout=30) as response:
        return json.loads(response.read())


@contextmanager
def serving(server: subprocess.Popen, url: str) -> Iterator[None]:
    """While the server started as ``server`` answers ``url`` (see ``wait_until_serving``); stopped
    after."""
    try:
        wait_until_serving(server, url)
        yield
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_until_serving(server: subprocess.Popen, url: str, seconds: float = 60) -> None:
    """Wait until the server started as ``server`` answers ``url`` with JSON; fail with its stderr
    if it exits first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            get_json(url)
            return
        except OSError:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else "it exited"
            assert time.monotonic() < deadline, f"{url} did not answer within {seconds} s"
            time.sleep(0.2)
