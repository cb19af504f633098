"""Listing walks across cron runs: a listing is followed only down to the first page that an earlier
whole walk of that same listing saw, and a run that did not walk a listing whole (killed, narrowed to
other categories, windowed with since=, or not reaching it at all) changes nothing for that listing.

Each case is one that a run-wide "was the last run complete" rule gets wrong: it either loses an
article (a listing stopped too early) or walks every listing to its end again (thousands of pages on
the live site). New articles go on page 2 of a listing, as on the live site when many are published
between two runs.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from belitong_crawler.archive import Archive
from tests.conftest import SharedOrigin, start_crawl
from tests.faultserver import SERVE, Fault
from tests.test_incremental import EXPECTED_IDS, Site, add_article, archived_ids, last_line

BELITUNG = ["/kategori/1/belitung", "/kategori/1/belitung/5", "/kategori/1/belitung/10"]
PILKADA = ["/kategori/5/pilkada-2024", "/kategori/5/pilkada-2024/5"]
FIRST_PAGES = [
    "/kategori/1/belitung",
    "/kategori/2/belitung-timur",
    "/kategori/5/pilkada-2024",
    "/kategori/7/ekonomi",
]


@pytest.fixture
def site(tmp_path: Path, shared_origin: SharedOrigin) -> Iterator[Site]:
    site = Site(tmp_path / "site", shared_origin)
    yield site
    site.server.stop()


def listing_pages(requests: list[str]) -> list[str]:
    return sorted(path for path in requests if path.startswith("/kategori/"))


def list_also(site: Site, article_id: int, listing: str) -> None:
    """Put an article already on another listing at the top of ``listing`` too (an article in two
    categories, or in a listing of the latest news)."""
    page = next((site.root / "read" / str(article_id)).glob("*/index.html"))
    title = page.read_text("utf-8").split("<h1", 1)[1].split(">", 1)[1].split("</h1>", 1)[0].strip()
    entry = (
        f'<div class="media"><div class="media-content"><h2 class="media-heading"><a href="'
        f'https://belitongekspres.com/read/{article_id}/{page.parent.name}">{title}</a></h2></div></div>\n'
    )
    listing_file = site.root / listing.strip("/") / "index.html"
    text = listing_file.read_text("utf-8")
    first = text.index('<div class="media">')
    listing_file.write_text(text[:first] + entry + text[first:], "utf-8")


def date_listing_entry(site: Site, article_id: int, listing: str, shown: str) -> None:
    """Give a listing entry its date line, as the site's entries have (a since= run reads it)."""
    listing_file = site.root / listing.strip("/") / "index.html"
    text = listing_file.read_text("utf-8")
    start = text.index(f"/read/{article_id}/")
    end = text.index("</h2>", start) + len("</h2>")
    listing_file.write_text(text[:end] + f'<span class="date">{shown}</span>' + text[end:], "utf-8")


def first_run(site: Site) -> None:
    result, requests = site.first_crawl()  # made once per session, shared by the tests that start so
    assert site.exported(result) == EXPECTED_IDS
    assert set(BELITUNG + PILKADA) <= set(requests)  # every listing walked to its end, and remembered
    assert "0 category listings walked whole before" in result.log
    archive = Archive(site.archive)
    try:
        assert archive.walked_listings() == 4
    finally:
        archive.close()


@dataclass
class Held(Fault):
    """An answer held back until ``release`` is set (a slow page), then served as the mirror has it."""

    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    answered: threading.Event = field(default_factory=threading.Event)

    def send(self, handler: BaseHTTPRequestHandler) -> None:
        self.arrived.set()
        self.release.wait(60)
        try:
            SERVE.send(handler)
        finally:
            self.answered.set()


def test_sigterm_after_a_complete_run_leaves_other_listings_short_and_loses_nothing(site: Site) -> None:
    first_run(site)
    add_article(site, 60001, "Harga Lada Naik di Pasar Tanjungpandan", "/kategori/1/belitung")
    add_article(site, 60002, "Nelayan Sijuk Panen Cumi", "/kategori/1/belitung/5")
    held = Held()
    site.server.fault("/kategori/1/belitung/5", held)
    output = site.root.parent / "terminated.json"
    process = start_crawl(
        output, "-a", f"base_url={site.server.origin}", settings=(f"BELITONG_ARCHIVE={site.archive}",)
    )
    try:
        assert held.arrived.wait(60), "the run never asked for the listing's page 2"
        deadline = time.monotonic() + 60
        while 60001 not in archived_ids(site.archive) and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)  # as cron's timeout or a shutdown does: a graceful stop
        while "shutting down gracefully" not in process.output() and time.monotonic() < deadline:
            time.sleep(0.05)
        held.release.set()  # the slow page comes in while the run is stopping
        log = process.communicate(timeout=60)
    finally:
        held.release.set()
        if process.poll() is None:
            process.kill()
    assert held.answered.wait(30)  # the held request is done before the next run counts requests
    assert "(shutdown)" in log, log[-2000:]
    assert 60001 in archived_ids(site.archive) and 60002 not in archived_ids(site.archive)

    site.server.fault("/kategori/1/belitung/5", SERVE)
    rerun, requests = site.crawl()
    assert site.exported(rerun) == [60002]
    # The stopped run's walk of Belitung was not whole: that listing is followed until a page the
    # first run's walk saw (page 3); the other listings still stop at their first page.
    assert listing_pages(requests) == sorted(FIRST_PAGES + BELITUNG[1:])
    assert last_line(rerun).endswith(" ok")

    again, requests = site.crawl()
    assert site.exported(again) == []
    assert listing_pages(requests) == sorted(FIRST_PAGES)


def test_a_narrowed_run_archiving_another_listings_first_page_hides_nothing_below_it(site: Site) -> None:
    first_run(site)
    add_article(site, 60011, "Pasar Murah Jelang Natal", "/kategori/7/ekonomi")
    list_also(site, 60011, "/kategori/1/belitung")  # on the first page of two listings
    add_article(site, 60012, "Dermaga Tanjung Ru Diperbaiki", "/kategori/1/belitung/5")

    narrowed, requests = site.crawl("-a", "categories=ekonomi")
    assert site.exported(narrowed) == [60011]
    assert listing_pages(requests) == ["/kategori/7/ekonomi"]

    # Belitung's first page now holds only archived articles, but one its walks never saw: the walk
    # goes on and finds the new article on page 2; Ekonomi's walk (whole, in the narrowed run) and
    # the untouched listings stop at their first page.
    full, requests = site.crawl()
    assert site.exported(full) == [60012]
    assert listing_pages(requests) == sorted(FIRST_PAGES + BELITUNG[1:])


def test_a_since_run_reaching_a_short_listings_end_leaves_the_older_articles_to_the_next_run(
    site: Site,
) -> None:
    first_run(site)
    # Pilkada 2024 gets two articles from 4 October (like 52491) and one from 30 September (like 52409).
    add_article(site, 60021, "Debat Ketiga Pilkada Belitung Digelar", "/kategori/5/pilkada-2024", like=52491)
    add_article(site, 60022, "Paslon Sampaikan Visi di Kampus", "/kategori/5/pilkada-2024/5", like=52491)
    add_article(site, 60023, "Relawan Gelar Jalan Sehat", "/kategori/5/pilkada-2024/5", like=52409)
    date_listing_entry(site, 60021, "/kategori/5/pilkada-2024", "Jumat 04 Oct 2024 - 15:20 WIB")
    date_listing_entry(site, 60022, "/kategori/5/pilkada-2024/5", "Jumat 04 Oct 2024 - 15:20 WIB")
    date_listing_entry(site, 60023, "/kategori/5/pilkada-2024/5", "Senin 30 Sep 2024 - 19:48 WIB")

    windowed, requests = site.crawl("-a", "since=2024-10-03")
    assert site.exported(windowed) == [60021, 60022]  # 60023 is listed, but older than since=
    assert set(PILKADA) <= set(requests)  # the listing's last page reached
    assert "/read/60023/" not in " ".join(requests)

    # The windowed walk left 60023 unrequested, so it is not remembered as a whole walk: the next
    # run follows Pilkada 2024 past its first page and exports the older article; other listings
    # stop at their first page.
    full, requests = site.crawl()
    assert site.exported(full) == [60023]
    assert listing_pages(requests) == sorted(FIRST_PAGES + PILKADA[1:])


def test_a_category_that_leaves_the_navigation_and_returns_is_walked_past_what_others_archived(
    site: Site,
) -> None:
    first_run(site)
    front = site.root / "index.html"
    navigation = front.read_text("utf-8")
    entry = '<li><a href="https://belitongekspres.com/kategori/1/belitung">Belitung</a></li>'
    assert navigation.count(entry) == 1
    front.write_text(navigation.replace(entry, ""), "utf-8")
    add_article(site, 60031, "Festival Danau Kaolin", "/kategori/7/ekonomi")
    list_also(site, 60031, "/kategori/1/belitung")
    add_article(site, 60032, "Jalan Lingkar Membalong Rampung", "/kategori/1/belitung/5")

    without, requests = site.crawl()  # a complete run over what the navigation shows
    assert site.exported(without) == [60031]
    assert not [path for path in requests if path.startswith("/kategori/1/")]
    assert last_line(without).endswith(" ok")

    front.write_text(navigation, "utf-8")
    back, requests = site.crawl()
    assert site.exported(back) == [60032]
    assert listing_pages(requests) == sorted(FIRST_PAGES + BELITUNG[1:])
