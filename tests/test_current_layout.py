"""The real ``scrapy crawl belitong`` on the current network layout: a mirror of another Disway paper
(belitong_crawler/mirror/current), crawled from its front page and by ``-a urls=`` in every URL form."""

from __future__ import annotations

from pathlib import Path

import pytest

from belitong_crawler.items import ARTICLE_FIELDS
from belitong_crawler.mirror_server import CURRENT_LIVE_ORIGIN, CURRENT_MIRROR_ROOT, MirrorServer
from belitong_crawler.urls import parse_article_url
from tests.conftest import CrawlResult, expected_articles, run_crawl

EXPECTED_IDS = sorted(int(p.stem) for p in (CURRENT_MIRROR_ROOT.parent / "expected").glob("*.json"))
# Where each stored article lives: /<category>/read/<id>/<slug>
STORED = {
    int(p.parent.parent.name): "/" + str(p.parent.relative_to(CURRENT_MIRROR_ROOT))
    for p in CURRENT_MIRROR_ROOT.glob("**/read/*/*/index.html")
}
NOT_EXPORTED = sorted(set(STORED) - set(EXPECTED_IDS))  # linked only from sidebars and footers


def expected(origin: str) -> dict[int, dict]:
    return expected_articles(origin, CURRENT_MIRROR_ROOT, CURRENT_LIVE_ORIGIN)


def assert_items_as_expected(items: list[dict], origin: str) -> None:
    got = {item["article_id"]: item for item in items}
    assert sorted(got) == EXPECTED_IDS
    for article_id, want in expected(origin).items():
        assert list(got[article_id]) == list(ARTICLE_FIELDS)
        for name, value in want.items():
            assert got[article_id][name] == value, f"{article_id} {name}"


@pytest.fixture(scope="module")
def front_crawl(
    current_mirror: MirrorServer, tmp_path_factory: pytest.TempPathFactory
) -> tuple[CrawlResult, list[str]]:
    current_mirror.requests.clear()
    result = run_crawl(
        tmp_path_factory.mktemp("current") / "articles.json", "-a", f"base_url={current_mirror.origin}"
    )
    return result, list(current_mirror.requests)


def test_mirror_is_big_enough() -> None:
    assert len(EXPECTED_IDS) >= 12
    assert NOT_EXPORTED, "the mirror keeps an article linked only from sidebars"


def test_front_page_crawl_exports_every_article_once_with_every_field(
    front_crawl: tuple[CrawlResult, list[str]], current_mirror: MirrorServer
) -> None:
    result, _ = front_crawl
    assert result.returncode == 0, result.log[-3000:]
    ids = [item["article_id"] for item in result.items()]
    assert len(ids) == len(set(ids))
    assert_items_as_expected(result.items(), current_mirror.origin)


def test_front_page_crawl_reads_every_page_as_the_current_generation(
    front_crawl: tuple[CrawlResult, list[str]],
) -> None:
    result, requests = front_crawl
    article_pages = [p for p in requests if parse_article_url("http://h" + p)]
    assert f"disway2024={len(article_pages)}" in result.log
    assert "disway2022=" not in result.log and "unknown=" not in result.log


def test_front_page_crawl_asks_once_per_page_and_nothing_it_should_not(
    front_crawl: tuple[CrawlResult, list[str]],
) -> None:
    _, requests = front_crawl
    pages = [parse_article_url("http://h" + p) for p in requests]
    keys = [(ref.article_id, ref.page) for ref in pages if ref]
    assert len(keys) == len(set(keys)), "an article page was fetched twice under two URL forms"
    assert {key[0] for key in keys} == set(EXPECTED_IDS)  # sidebar-only articles never asked for
    assert not [p for p in requests if "readstatik" in p or "listtag" in p or "search" in p]


def url_forms(origin: str) -> dict[int, str]:
    """Each expected article by another URL form, in turn."""
    forms = [
        lambda path, ref: path,  # /<category>/read/<id>/<slug>
        lambda path, ref: f"/read/{ref.article_id}/{ref.slug}",
        lambda path, ref: f"//read/{ref.article_id}/{ref.slug}",
        lambda path, ref: f"/amp/{ref.article_id}/{ref.slug}",
        lambda path, ref: f"{path}?utm_source=whatsapp#komentar",
        lambda path, ref: f"{path}/2",
        lambda path, ref: f"/read/{ref.article_id}/judul-lama-yang-sudah-diganti",
    ]
    chosen = {}
    for index, article_id in enumerate(EXPECTED_IDS):
        path = STORED[article_id]
        ref = parse_article_url("http://h" + path)
        chosen[article_id] = origin + forms[index % len(forms)](path, ref)
    return chosen


def test_urls_argument_takes_every_url_form(current_mirror: MirrorServer, tmp_path: Path) -> None:
    forms = url_forms(current_mirror.origin)
    result = run_crawl(
        tmp_path / "urls.json",
        "-a",
        f"base_url={current_mirror.origin}",
        "-a",
        "urls=" + ",".join(forms.values()),
    )
    assert result.returncode == 0, result.log[-3000:]
    assert_items_as_expected(result.items(), current_mirror.origin)


@pytest.mark.parametrize("how", ["front page", "urls"])
def test_a_site_that_moves_every_url_form_to_the_canonical_one(how: str, tmp_path: Path) -> None:
    """A CMS that answers /read/<id>/<slug>, old slugs, double slashes and AMP with a 301 to the
    category-prefixed page: every article is still exported once, each page asked for once."""
    server = MirrorServer(
        CURRENT_MIRROR_ROOT, live_origin=CURRENT_LIVE_ORIGIN, canonical_redirects=True
    ).start()
    try:
        args = ["-a", f"base_url={server.origin}"]
        if how == "urls":
            args += ["-a", "urls=" + ",".join(url_forms(server.origin).values())]
        result = run_crawl(tmp_path / "moved.json", *args)
        assert result.returncode == 0, result.log[-3000:]
        assert_items_as_expected(result.items(), server.origin)
        served = [p for p in server.requests if p.split("?")[0] in STORED.values()]
        assert len(served) == len(set(served))
    finally:
        server.stop()
