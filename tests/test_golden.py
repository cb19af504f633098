"""Golden pages: stored real pages with the item a person checked by reading the page.

``python -m belitong_crawler capture URL...`` makes a pair (``tests/golden/<host>-<id>.html.gz`` and
``.json``); this module checks every pair, and tests the command itself against the loopback mirrors.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from belitong_crawler.capture import GOLDEN_DIR, golden_item, load_golden
from belitong_crawler.mirror_server import CURRENT_LIVE_ORIGIN, CURRENT_MIRROR_ROOT, MirrorServer
from tests.conftest import PROJECT_ROOT, expected_articles
from tests.forkserver import ModuleProcess

PAIRS = sorted(GOLDEN_DIR.glob("*.json"))


def test_there_are_golden_pages_of_each_generation() -> None:
    assert len(PAIRS) >= 2


@pytest.mark.parametrize("pair", PAIRS, ids=[p.stem for p in PAIRS])
def test_golden_page_reads_as_checked(pair: Path) -> None:
    page_url, html, want = load_golden(pair)
    assert golden_item(html, page_url) == want


def capture(*args: str) -> subprocess.CompletedProcess:
    """``python -m belitong_crawler capture ARGS`` (a fork of the tests' preloaded interpreter)."""
    done = ModuleProcess("belitong_crawler", ["capture", *args], PROJECT_ROOT, stderr_apart=True).result(120)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def test_capture_saves_page_and_reading_for_any_url_form(
    current_mirror: MirrorServer, tmp_path: Path
) -> None:
    want = expected_articles(current_mirror.origin, CURRENT_MIRROR_ROOT, CURRENT_LIVE_ORIGIN)
    single_page = [article for article in want.values() if article["pages"] == 1][:2]
    first, second = (article["url"] for article in single_page)
    amp = first.replace("/read/", "/amp/")
    double_slash = second.replace("/read/", "//read/") + "?utm_source=share"
    current_mirror.requests.clear()
    done = capture(amp, double_slash, "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "2 page(s) saved" in done.stdout
    assert "/robots.txt" in current_mirror.requests
    for article in single_page:
        pair = next(tmp_path.glob(f"*-{article['article_id']}.json"))
        page_url, html, saved = load_golden(pair)
        assert saved == article  # what the crawler reads, before anyone corrects it
        assert "</html>" in html
        assert golden_item(html, page_url) == saved
        assert json.loads(pair.read_text("utf-8"))["page_url"] == page_url


def test_capture_reports_pages_it_could_not_save(current_mirror: MirrorServer, tmp_path: Path) -> None:
    done = capture(f"{current_mirror.origin}/read/99/tidak-ada", "--out", str(tmp_path))
    assert done.returncode == 1
    assert "capture: not saved: " in done.stderr and "HTTP 404" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["https://jogja.disway.id/kategori/ekonomi"],
        ["https://a.disway.id/read/1/x", "https://b.disway.id/read/2/y"],
    ],
)
def test_capture_refuses_what_it_cannot_use_in_one_line(args: list[str], tmp_path: Path) -> None:
    done = capture(*args, "--out", str(tmp_path))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("capture: error: ")
