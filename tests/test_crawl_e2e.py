"""The real ``scrapy crawl belitong`` against the loopback mirror, exported as JSON and as CSV."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from belitong_crawler.items import ARTICLE_FIELDS
from belitong_crawler.mirror_server import MIRROR_ROOT, MirrorServer
from tests.conftest import LIVE_ORIGIN, CrawlResult, MirrorCrawl, expected_articles, run_crawl

EXPECTED_IDS = sorted(int(p.stem) for p in (MIRROR_ROOT.parent / "expected").glob("*.json"))
SEED_ID = 52431


def crawl_with_requests(mirror: MirrorServer, output: Path, *args: str) -> tuple[CrawlResult, list[str]]:
    """Run a crawl of the mirror; return its result and the paths the server was asked for."""
    mirror.requests.clear()
    result = run_crawl(output, "-a", f"base_url={mirror.origin}", *args)
    return result, list(mirror.requests)


@pytest.fixture(scope="module")
def full_json(mirror_crawl: MirrorCrawl) -> tuple[CrawlResult, list[str]]:
    """A whole crawl's JSON feed (the same crawl wrote ``full_csv``)."""
    return mirror_crawl.json, mirror_crawl.requests


@pytest.fixture(scope="module")
def full_csv(mirror_crawl: MirrorCrawl) -> tuple[CrawlResult, list[str]]:
    return mirror_crawl.csv, mirror_crawl.requests


def by_id(items: list[dict]) -> dict[int, dict]:
    return {int(item["article_id"]): item for item in items}


def test_mirror_is_big_enough() -> None:
    assert len(EXPECTED_IDS) >= 15


def test_json_crawl_exports_every_article_once(full_json: tuple[CrawlResult, list[str]]) -> None:
    result, _ = full_json
    assert result.returncode == 0, result.log[-3000:]
    ids = [item["article_id"] for item in result.items()]
    assert sorted(ids) == EXPECTED_IDS  # no article missing, none extra, none twice


@pytest.mark.parametrize("article_id", EXPECTED_IDS)
def test_json_article_fields(
    full_json: tuple[CrawlResult, list[str]], mirror: MirrorServer, article_id: int
) -> None:
    expected = expected_articles(mirror.origin)[article_id]
    got = by_id(full_json[0].items())[article_id]
    assert list(got) == list(ARTICLE_FIELDS)
    for name, value in expected.items():
        assert got[name] == value, f"{article_id} {name}"
    assert got["revision"] is None
    scraped = datetime.fromisoformat(got["scraped_at"])
    assert scraped.utcoffset().total_seconds() == 0


@pytest.mark.parametrize("article_id", EXPECTED_IDS)
def test_csv_article_fields(
    full_csv: tuple[CrawlResult, list[str]], mirror: MirrorServer, article_id: int
) -> None:
    result = full_csv[0]
    assert result.returncode == 0, result.log[-3000:]
    header = result.output.read_text("utf-8-sig").splitlines()[0]
    assert header == ",".join(ARTICLE_FIELDS)
    expected = expected_articles(mirror.origin)[article_id]
    got = by_id(result.items())[article_id]
    for name, value in expected.items():
        if isinstance(value, list):
            value = " | ".join(value)
        elif value is None:
            value = ""
        assert got[name] == str(value), f"{article_id} {name}"


def test_csv_has_each_article_once(full_csv: tuple[CrawlResult, list[str]]) -> None:
    assert sorted(int(i["article_id"]) for i in full_csv[0].items()) == EXPECTED_IDS


def test_seed_article_as_the_reference_says(
    full_json: tuple[CrawlResult, list[str]], mirror: MirrorServer
) -> None:
    reference = MIRROR_ROOT.parent / "expected" / f"{SEED_ID}.json"  # the reference article's item, verbatim
    expected = json.loads(reference.read_text("utf-8").replace(LIVE_ORIGIN, mirror.origin))
    got = by_id(full_json[0].items())[SEED_ID]
    assert {name: got[name] for name in expected} == expected


def test_each_page_fetched_once_and_never_disallowed(full_json: tuple[CrawlResult, list[str]]) -> None:
    _, requests = full_json
    paths = [re.sub(r"[?#].*", "", p) for p in requests]
    article_pages = [p for p in paths if p.startswith("/read/")]
    assert len(article_pages) == len(set(article_pages)), "an article page was fetched twice"
    assert not any(p.startswith(("/read/52999/", "/search/")) for p in paths), "robots.txt disobeyed"
    assert paths.count("/robots.txt") == 1


def test_log_reports_coverage_and_drops(full_json: tuple[CrawlResult, list[str]]) -> None:
    log = full_json[0].log
    assert f"Field coverage over {len(EXPECTED_IDS)} exported article(s):" in log
    assert re.search(rf"\n  url\s+{len(EXPECTED_IDS)}\s+100\.0%", log)
    assert "'belitong/dropped/no_body': 1" in log
    assert "'belitong/dropped/no_title': 1" in log
    assert "'belitong/missing/published_at': 1" in log  # 52440 shows "Diperbarui: -"
    # this crawl has no archive: revision is not counted as missing, nor shown as 0.0%
    assert re.search(r"\n  revision\s+-\s+-  \(no archive: BELITONG_ARCHIVE is empty\)\n", log)
    assert "belitong/missing/revision" not in log
    assert re.search(r"WARNING: Dropped: no_body: http://127\.0\.0\.1:\d+/read/\d+/", log)
    assert "Traceback" not in log


def test_max_pages_and_categories_limit_requests(mirror: MirrorServer, tmp_path: Path) -> None:
    result, requests = crawl_with_requests(
        mirror,
        tmp_path / "a.json",
        "-a",
        "categories=belitung",
        "-a",
        "max_pages=1",
        "-a",
        "follow_related=false",
    )
    assert result.returncode == 0, result.log[-3000:]
    listings = [p for p in requests if p.startswith("/kategori/")]
    assert listings == ["/kategori/1/belitung"]
    articles = {re.sub(r"[?#].*", "", p).split("/")[2] for p in requests if p.startswith("/read/")}
    exported = {str(i["article_id"]) for i in result.items()}
    assert exported <= articles
    assert 1 <= len(exported) <= 5


def test_urls_fetches_only_those_articles(mirror: MirrorServer, tmp_path: Path) -> None:
    seed = expected_articles(mirror.origin)[SEED_ID]["url"]
    result, requests = crawl_with_requests(mirror, tmp_path / "one.jsonl", "-a", f"urls={seed}?utm_source=x")
    assert result.returncode == 0, result.log[-3000:]
    assert [i["article_id"] for i in result.items()] == [SEED_ID]
    assert sorted(requests) == sorted(["/robots.txt", seed.removeprefix(mirror.origin)])


def test_since_until_window(mirror: MirrorServer, tmp_path: Path) -> None:
    result, requests = crawl_with_requests(
        mirror, tmp_path / "w.json", "-a", "since=2024-10-01", "-a", "until=2024-10-02"
    )
    assert result.returncode == 0, result.log[-3000:]
    # 52463 is 10:30 WITA = 09:30 WIB on 2 October; 52440's date cannot be read, so it is in no window.
    assert sorted(i["article_id"] for i in result.items()) == [
        52415,
        52417,
        52424,
        52431,
        52447,
        52455,
        52463,
    ]
    # Belitung's page 2 is wholly older than since: its page 3 is never requested.
    assert "/kategori/1/belitung/5" in requests
    assert "/kategori/1/belitung/10" not in requests
    # Listed outside the window: not even fetched (52491 is of 4 October, 52268 is on page 3).
    assert not any(p.startswith(("/read/52491/", "/read/52268/")) for p in requests)


def test_follow_related_false(mirror: MirrorServer, tmp_path: Path) -> None:
    result, requests = crawl_with_requests(mirror, tmp_path / "nr.json", "-a", "follow_related=false")
    assert result.returncode == 0, result.log[-3000:]
    only_related = {52280, 52344, 52339}  # reachable only through BACA JUGA or a related block
    assert sorted(i["article_id"] for i in result.items()) == sorted(set(EXPECTED_IDS) - only_related)
    assert not any(p.startswith(tuple(f"/read/{i}/" for i in only_related)) for p in requests)
    seed = by_id(result.items())[SEED_ID]
    assert len(seed["related_urls"]) == 4  # still recorded, just not followed
