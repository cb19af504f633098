"""Cron-grade runs: the archive, incremental discovery, revisions, the lock, exit codes, kill -9.

Each test crawls its own copy of the mirror, changed between runs as the real site changes. A test's
first crawl into an empty archive is made once for the tests that begin alike (``Site.first_crawl``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from belitong_crawler.archive import Archive, acquire_run_lock
from belitong_crawler.dates import WIB
from belitong_crawler.mirror_server import MIRROR_ROOT
from tests.conftest import PROJECT_ROOT, CrawlResult, SharedOrigin, run_crawl, start_crawl
from tests.faultserver import FaultServer, Status
from tests.test_hostile import damage

EXPECTED_IDS = sorted(int(p.stem) for p in (MIRROR_ROOT.parent / "expected").glob("*.json"))
FIRST_LISTINGS = [
    "/kategori/1/belitung",
    "/kategori/2/belitung-timur",
    "/kategori/5/pilkada-2024",
    "/kategori/7/ekonomi",
]
DAY_NAMES = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
RECENT_ID = 52491
RECENT_PAGE = "read/52491"


class Site:
    """A private copy of the mirror, served on loopback, that a test may edit between runs; on the
    session's shared origin when given one (so that first crawls can be shared), else on its own."""

    def __init__(self, root: Path, shared: SharedOrigin | None = None) -> None:
        shutil.copytree(MIRROR_ROOT, root)
        self.root = root
        self.shared = shared
        self.server = FaultServer(root, listener=shared.listener if shared else None).start()
        self.archive = root.parent / "archive.sqlite"
        self.runs = 0

    def crawl(self, *args: str, settings: tuple[str, ...] = ()) -> tuple[CrawlResult, list[str]]:
        self.server.requests.clear()
        self.runs += 1
        output = self.root.parent / f"run{self.runs}.json"
        result = run_crawl(
            output,
            "-a",
            f"base_url={self.server.origin}",
            *args,
            settings=(f"BELITONG_ARCHIVE={self.archive}", *settings),
        )
        return result, sorted(self.server.requests)

    def first_crawl(self, *args: str, settings: tuple[str, ...] = ()) -> tuple[CrawlResult, list[str]]:
        """The test's first ``crawl``, into an empty archive. It is made once per session for the same
        site (its files, what its server answers, its origin), arguments and settings: a later test
        that asks for the same first crawl gets the files it left (the archive, its lock, the feed),
        copied into this site's folder, its log (with this site's paths) and its requests, as if it
        had crawled itself. (A server fault that requests use up makes a crawl of its own.)"""
        folder = self.root.parent
        before = set(folder.iterdir())
        assert self.runs == 0 and before == {self.root}, "a first crawl starts with no archive and no feed"
        answers = self.server.settings()
        if self.shared is None or answers is None:
            return self.crawl(*args, settings=settings)
        key = ("first_crawl", args, settings, answers, files_digest(self.root))
        if key not in self.shared.kept:
            result, requests = self.crawl(*args, settings=settings)
            keep = self.shared.folder / f"first-crawl-{len(self.shared.kept)}"
            keep.mkdir()
            for file in set(folder.iterdir()) - before:
                shutil.copy2(file, keep / file.name)  # every file the crawl left: all are files
            self.shared.kept[key] = (keep, folder, result, requests, list(self.server.requests))
            return result, requests
        keep, made_in, result, requests, served = self.shared.kept[key]
        for file in keep.iterdir():
            shutil.copy2(file, folder / file.name)
        self.runs = 1
        self.server.requests[:] = served
        log = result.log.replace(str(made_in), str(folder))
        return CrawlResult(result.returncode, log, folder / result.output.name), list(requests)

    def page(self, path: str) -> Path:
        return next((self.root / path).glob("*/index.html"))

    def edit(self, path: str, old: str, new: str) -> None:
        file = self.page(path)
        text = file.read_text("utf-8")
        assert old in text
        file.write_text(text.replace(old, new, 1), "utf-8")

    def exported(self, result: CrawlResult) -> list[int]:
        assert result.returncode == 0, result.log[-3000:]
        return sorted(item["article_id"] for item in result.items())


@pytest.fixture
def site(tmp_path: Path, shared_origin: SharedOrigin) -> Site:
    site = Site(tmp_path / "site", shared_origin)
    yield site
    site.server.stop()


def files_digest(root: Path) -> str:
    """Every file under ``root``: its path and bytes, as one hash."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(f"{path.relative_to(root)}\0{path.stat().st_size}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def last_line(result: CrawlResult) -> str:
    return result.log.strip().splitlines()[-1]


def make_recent(site: Site) -> str:
    """Give article 52491 today's date (an hour ago, WIB): recent articles are fetched again each run."""
    when = datetime.now(WIB) - timedelta(hours=1)
    shown = f"{DAY_NAMES[when.weekday()]} {when:%d-%m-%Y},{when:%H:%M} WIB"
    site.edit(RECENT_PAGE, "Jumat, 04 Oktober 2024 | 15:20 WIB", shown)
    return shown


def add_article(site: Site, new_id: int, title: str, listing: str, like: int = 52415) -> None:
    """A new article (a copy of another's page with a new id and title) at the top of a listing."""
    source = site.page(f"read/{like}")
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    html = source.read_text("utf-8")
    old_slug = source.parent.name
    old_title = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()
    html = html.replace(f"/read/{like}/{old_slug}", f"/read/{new_id}/{slug}").replace(old_title, title)
    target = site.root / "read" / str(new_id) / slug / "index.html"
    target.parent.mkdir(parents=True)
    target.write_text(html, "utf-8")
    listing_file = site.root / listing.strip("/") / "index.html"
    text = listing_file.read_text("utf-8")
    entry = (
        f'<div class="media"><div class="media-content"><h2 class="media-heading"><a href="'
        f'https://belitongekspres.com/read/{new_id}/{slug}">{title}</a></h2></div></div>\n'
    )
    first = text.index('<div class="media">')
    listing_file.write_text(text[:first] + entry + text[first:], "utf-8")


def archived_ids(path: Path) -> list[int]:
    with sqlite3.connect(path) as db:
        return sorted(r[0] for r in db.execute("SELECT article_id FROM articles"))


def test_archive_then_unchanged_site_costs_only_front_and_first_listings(site: Site) -> None:
    first, _ = site.first_crawl()
    assert site.exported(first) == EXPECTED_IDS
    assert {item["revision"] for item in first.items()} == {1}
    assert last_line(first).endswith("ok")
    assert re.search(
        r"Run summary: new=24 revised=0 unchanged=0 dropped=2 errors=\d+ duration=", last_line(first)
    )
    archive = Archive(site.archive)
    try:
        assert archive.count() == 24
        seed = archive.get(52431)
        assert seed["title"].startswith("Masa Kampanye Pilkada 2024") and seed["revision"] == 1
        assert len(seed["related_urls"]) == 4 and seed["first_seen"] == seed["last_seen"]
        assert len(seed["content_hash"]) == 64
    finally:
        archive.close()

    second, requests = site.crawl()
    assert site.exported(second) == []
    assert requests == sorted(["/robots.txt", "/", *FIRST_LISTINGS])
    assert "Run summary: new=0 revised=0 unchanged=0 dropped=0 errors=0" in last_line(second)

    # A new article in two listings: exactly it is fetched and exported; Belitung's page 2 is wholly
    # archived, so its page 3 is not asked for.
    add_article(
        site, 52500, "Wisata Pulau Lengkuas Ramai Dikunjungi Saat Libur Panjang", "kategori/1/belitung"
    )
    add_article(site, 52501, "Harga Lada Putih di Belitung Naik Jelang Akhir Tahun", "kategori/7/ekonomi")
    third, requests = site.crawl()
    assert site.exported(third) == [52500, 52501]
    assert {item["revision"] for item in third.items()} == {1}
    article_requests = [p for p in requests if p.startswith("/read/")]
    assert [p.split("/")[2] for p in article_requests] == ["52500", "52501"]
    assert "/kategori/1/belitung/5" in requests  # page 1 had a new article; page 2 has none
    assert "/kategori/1/belitung/10" not in requests
    assert archived_ids(site.archive) == sorted([*EXPECTED_IDS, 52500, 52501])


def test_edit_becomes_a_revision_and_removal_loses_nothing(site: Site) -> None:
    shown = make_recent(site)
    first, _ = site.first_crawl()
    assert site.exported(first) == EXPECTED_IDS

    second, requests = site.crawl()  # unchanged: the recent article is fetched again, not exported
    assert site.exported(second) == []
    assert [p for p in requests if p.startswith("/read/")] == [
        f"/read/{RECENT_ID}/" + site.page(RECENT_PAGE).parent.name
    ]
    assert "unchanged=1" in last_line(second)

    site.edit(RECENT_PAGE, "kata Fitriyani di Manggar", "kata Fitriyani di Kota Manggar")  # a silent edit
    third, _ = site.crawl()
    assert site.exported(third) == [RECENT_ID]
    item = third.items()[0]
    assert item["revision"] == 2 and "Kota Manggar" in item["body"] and item["date_text"] == shown
    assert "new=0 revised=1 unchanged=0" in last_line(third)
    archive = Archive(site.archive)
    try:
        current = archive.get(RECENT_ID)
        assert current["revision"] == 2 and current["body"] == item["body"]
        [old] = archive.revisions(RECENT_ID)
        assert old["revision"] == 1 and "Kota Manggar" not in old["body"] and old["title"] == current["title"]
        assert old["first_seen"] <= old["last_seen"] <= current["revision_seen"]
    finally:
        archive.close()

    shutil.rmtree(site.page(RECENT_PAGE).parent)  # the article is taken down
    fourth, _ = site.crawl()
    assert site.exported(fourth) == []
    assert "errors=1" in last_line(fourth)
    assert archived_ids(site.archive) == EXPECTED_IDS  # nothing lost from the archive


def test_archive_off_exports_everything_every_time(site: Site) -> None:
    for _ in range(2):
        result, _ = site.crawl(settings=("BELITONG_ARCHIVE=",))
        assert site.exported(result) == EXPECTED_IDS
        assert {item["revision"] for item in result.items()} == {None}
    assert not site.archive.exists()


def test_second_run_while_one_is_active_exits_0_without_crawling(site: Site) -> None:
    lock = acquire_run_lock(site.archive)
    assert lock is not None
    try:
        result, requests = site.crawl()
    finally:
        lock.close()
    assert result.returncode == 0
    assert requests == []
    assert result.log.strip().splitlines() == [
        f"scrapy crawl belitong: another run holds {site.archive}.lock; not crawling"
    ]


def test_changed_template_fails_the_run(site: Site) -> None:
    for page in site.root.glob("read/**/index.html"):
        text = page.read_text("utf-8")
        for name in ("post text-black-1", "post-content", "post-body"):
            text = text.replace(f'class="{name}"', 'class="konten-artikel"')
        page.write_text(text, "utf-8")
    result, _ = site.crawl()
    assert result.returncode == 1
    assert re.search(
        r"Run summary: .* FAILED: extraction collapsed: body found on 0 of \d+ article pages$",
        last_line(result),
    )
    # The template comes back (or the extractor is fixed): nothing was blocked by the failed run.
    shutil.rmtree(site.root)
    shutil.copytree(MIRROR_ROOT, site.root)
    again, _ = site.crawl()
    assert site.exported(again) == EXPECTED_IDS


def test_site_down_fails_the_run(site: Site) -> None:
    site.server.down = True  # robots.txt answers 503 too: RFC 9309 says fetch nothing then
    result, requests = site.crawl(settings=("RETRY_TIMES=1",))
    assert result.returncode == 1
    assert last_line(result).endswith(
        "FAILED: robots.txt unavailable (a server error or no answer), so nothing was fetched (RFC 9309)"
    )
    assert requests == ["/robots.txt"]  # it did try, once


def test_front_page_down_fails_the_run(site: Site) -> None:
    site.server.fault("/", Status(503))
    result, requests = site.crawl(settings=("RETRY_TIMES=1",))
    assert result.returncode == 1
    assert last_line(result).endswith("FAILED: nothing could be fetched")
    assert requests == ["/", "/", "/robots.txt"]


def test_kill_9_mid_run_then_rerun_loses_nothing_doubles_nothing(site: Site) -> None:
    site.server.delay = 0.15
    output = site.root.parent / "killed.json"
    process = start_crawl(
        output, "-a", f"base_url={site.server.origin}", settings=(f"BELITONG_ARCHIVE={site.archive}",)
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if site.archive.exists() and len(archived_ids(site.archive)) >= 5:
                break
        except sqlite3.OperationalError:  # the crawl is still creating the schema
            pass
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    before = archived_ids(site.archive)
    assert 5 <= len(before) < len(EXPECTED_IDS), "kill the run in its middle"

    site.server.delay = 0.0
    rerun, _ = site.crawl()
    # The killed run remembered no listing walk: every listing is followed to its end.
    assert "0 category listings walked whole before" in rerun.log
    assert "checked page by page (PRAGMA quick_check): ok" in rerun.log  # what the killed run wrote
    # What the killed run archived may be missing from its feed: exported again, with the rest.
    assert site.exported(rerun) == EXPECTED_IDS
    assert f"new={len(EXPECTED_IDS) - len(before)} " in last_line(rerun)
    assert last_line(rerun).endswith(f"recovered={len(before)} ok")
    with sqlite3.connect(site.archive) as db:
        assert db.execute("SELECT count(*), count(DISTINCT article_id) FROM articles").fetchone() == (24, 24)
        assert db.execute("SELECT count(*) FROM revisions").fetchone() == (0,)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert archived_ids(site.archive) == EXPECTED_IDS


def test_cron_wrapper_appends_log_and_passes_exit_code(site: Site, tmp_path: Path) -> None:
    log = tmp_path / "cron.log"
    env = {**os.environ, "BELITONG_CRON_LOG": str(log)}
    wrapper = PROJECT_ROOT / "bin" / "belitong-cron"
    bad = subprocess.run([str(wrapper), "-a", "max_pages=-1"], env=env, cwd=tmp_path, timeout=120)
    assert bad.returncode == 2
    seed = f"{site.server.origin}/read/52431/{site.page('read/52431').parent.name}"
    good = subprocess.run(
        [
            str(wrapper),
            "-a",
            f"base_url={site.server.origin}",
            "-a",
            f"urls={seed}",
            "-s",
            f"BELITONG_ARCHIVE={site.archive}",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-O",
            str(tmp_path / "cron.json"),
        ],
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert good.returncode == 0
    text = log.read_text("utf-8")
    assert "bad argument max_pages" in text  # both runs appended to the same log
    assert re.search(r"Run summary: new=1 .* ok\n\Z", text)
    assert json.loads((tmp_path / "cron.json").read_text("utf-8"))[0]["article_id"] == 52431


def test_a_passing_error_is_fetched_by_the_next_run(site: Site) -> None:
    site.server.failing.add("/read/52268/")  # on Belitung's last listing page
    first, _ = site.first_crawl(settings=("RETRY_TIMES=0",))
    assert site.exported(first) == [i for i in EXPECTED_IDS if i != 52268]
    site.server.failing.clear()
    second, requests = site.crawl()
    assert site.exported(second) == [52268]
    # kept as pending and asked for directly: no listing walked to its end for it
    assert "/kategori/1/belitung/10" not in requests
    third, requests = site.crawl()
    assert site.exported(third) == [] and not [p for p in requests if p.startswith("/read/")]


def test_a_multi_page_article_cut_short_is_archived_only_when_whole(site: Site) -> None:
    site.server.failing.add("/read/52305/" + site.page("read/52305").parent.name + "/2")
    first, _ = site.first_crawl(settings=("RETRY_TIMES=0",))
    assert site.exported(first) == EXPECTED_IDS
    partial = next(i for i in first.items() if i["article_id"] == 52305)
    assert (partial["pages"], partial["revision"]) == (1, None)  # exported as it is, not archived
    assert 52305 not in archived_ids(site.archive)
    site.server.failing.clear()
    second, _ = site.crawl()
    assert site.exported(second) == [52305]
    whole = second.items()[0]
    assert (whole["pages"], whole["revision"]) == (3, 1)


def test_recent_articles_beyond_the_first_listing_page_are_checked(site: Site) -> None:
    when = datetime.now(WIB) - timedelta(hours=2)
    site.edit(
        "read/52398",
        "Senin, 30 September 2024 | 14:10 WIB",
        f"{DAY_NAMES[when.weekday()]} {when:%d-%m-%Y},{when:%H:%M} WIB",
    )
    first, _ = site.first_crawl()
    assert site.exported(first) == EXPECTED_IDS
    words = json.loads((MIRROR_ROOT.parent / "expected" / "52398.json").read_text("utf-8"))["body"].split()
    site.edit("read/52398", " ".join(words[-4:]), " ".join(words[-4:]) + " (Diperbarui)")
    second, _ = site.crawl()
    assert site.exported(second) == [52398]
    assert second.items()[0]["revision"] == 2


def test_a_run_without_related_links_does_not_hide_them_from_the_next(site: Site) -> None:
    first, _ = site.first_crawl("-a", "follow_related=false")
    only_related = [52280, 52339, 52344]
    assert site.exported(first) == [i for i in EXPECTED_IDS if i not in only_related]
    second, _ = site.crawl()
    assert site.exported(second) == only_related


@pytest.mark.parametrize(
    ("args", "failing", "reason"),
    [
        ((), "/kategori/", "no category listing could be fetched"),
        (("-a", "categories=olahraga"), "", "a category given with categories= is not in the navigation"),
    ],
)
def test_runs_that_found_nothing_to_crawl_fail(
    site: Site, args: tuple[str, ...], failing: str, reason: str
) -> None:
    if failing:
        site.server.failing.add(failing)
    result, _ = site.crawl(*args, settings=("RETRY_TIMES=0",))
    assert result.returncode == 1
    assert last_line(result).endswith(f"FAILED: {reason}")


def test_a_lone_page_without_body_is_no_collapse_and_is_remembered(site: Site) -> None:
    first, _ = site.first_crawl()
    assert site.exported(first) == EXPECTED_IDS
    # 52467 is a live-stream page: a title, an embedded player, no text.
    add_article(site, 52502, "Video: Suasana Pawai Budaya di Tanjungpandan", "kategori/7/ekonomi", like=52467)
    second, _ = site.crawl()
    assert site.exported(second) == []
    assert "dropped=1" in last_line(second) and last_line(second).endswith(" ok")
    _, requests = site.crawl()
    assert requests == sorted(["/robots.txt", "/", *FIRST_LISTINGS])  # remembered: not asked again
    _, requests = site.crawl(settings=("BELITONG_RECHECK_DAYS=0",))  # due for another try
    # every remembered page (gone, no title, no body) is due; robots.txt still forbids 52999, also to
    # these requests that all wait for robots.txt at once (Scrapy 2.19 let them through: middlewares.py)
    assert sorted(int(p.split("/")[2]) for p in requests if p.startswith("/read/")) == [
        51876,
        52250,
        52429,
        52467,
        52502,
    ]


def test_an_empty_listing_answer_is_not_the_end_of_the_listing(site: Site) -> None:
    listing = site.root / "kategori/1/belitung/5/index.html"
    saved = listing.read_text("utf-8")
    listing.write_text("<html><body></body></html>", "utf-8")
    first, _ = site.first_crawl()
    assert site.exported(first) == [i for i in EXPECTED_IDS if i != 52318]  # listed on page 2 only
    listing.write_text(saved, "utf-8")
    second, requests = site.crawl()
    assert "/kategori/1/belitung/10" in requests  # the first run was not complete
    assert site.exported(second) == [52318]
    assert archived_ids(site.archive) == EXPECTED_IDS


def test_a_later_page_that_redirects_or_is_gone(site: Site) -> None:
    slug = site.page("read/52362").parent.name
    site.server.redirects[f"/read/52362/{slug}/2"] = f"/read/52362/{slug}"
    shutil.rmtree(site.root / "read" / "52305" / site.page("read/52305").parent.name / "3")
    first, _ = site.crawl()
    assert site.exported(first) == EXPECTED_IDS
    items = {i["article_id"]: i for i in first.items()}
    assert (items[52362]["pages"], items[52362]["revision"]) == (1, 1)
    assert (items[52305]["pages"], items[52305]["revision"]) == (2, 1)  # page 3 is gone: archived as it is
    assert last_line(first).endswith(" ok")


def test_every_article_request_failing_fails_the_run(site: Site) -> None:
    site.server.failing.add("/read/")
    result, _ = site.crawl(settings=("RETRY_TIMES=0",))
    assert result.returncode == 1
    assert last_line(result).endswith("FAILED: no article page could be fetched (all failed)")


def test_a_page_that_keeps_failing_is_no_outage_and_is_given_up(site: Site) -> None:
    first, _ = site.first_crawl()
    assert site.exported(first) == EXPECTED_IDS
    add_article(site, 52504, "Nelayan Sijuk Panen Cumi Jelang Akhir Tahun", "kategori/7/ekonomi")
    site.server.failing.add("/read/52504/")
    for run in range(5):  # listed, then asked for directly as pending, until given up
        result, requests = site.crawl(settings=("RETRY_TIMES=0",))
        assert result.returncode == 0, last_line(result)  # one broken page is no failed run
        assert any(p.startswith("/read/52504/") for p in requests), run
    _, requests = site.crawl(settings=("RETRY_TIMES=0",))
    assert requests == sorted(["/robots.txt", "/", *FIRST_LISTINGS])  # given up: unavailable for a while


def test_a_later_page_that_keeps_failing_is_exported_cut_short_once(site: Site) -> None:
    site.server.failing.add("/read/52305/" + site.page("read/52305").parent.name + "/2")
    first, _ = site.first_crawl(settings=("RETRY_TIMES=0",))
    assert site.exported(first) == EXPECTED_IDS
    second, requests = site.crawl(settings=("RETRY_TIMES=0",))
    assert any(p.startswith("/read/52305/") for p in requests)  # asked for again, as pending
    assert site.exported(second) == []  # but not exported cut short a second time
    site.server.failing.clear()
    third, _ = site.crawl()
    assert [(i["article_id"], i["pages"], i["revision"]) for i in third.items()] == [(52305, 3, 1)]


def test_the_archive_is_checked_whole_unless_it_is_as_the_last_run_left_it(site: Site) -> None:
    checked, skipped = "checked page by page (PRAGMA quick_check): ok", "not read whole again"
    first, _ = site.crawl()
    assert checked in first.log
    second, _ = site.crawl()
    assert skipped in second.log  # a cron run's case
    with sqlite3.connect(site.archive) as db:  # another program writes to it (a journalist's notes)
        db.execute("CREATE TABLE notes (article_id INTEGER, note TEXT)")
    db.close()
    third, _ = site.crawl()
    assert checked in third.log and last_line(third).endswith(" ok")
    # a run killed after a clean one: whatever it wrote is read whole by the next run
    killed = start_crawl(
        site.root.parent / "killed.json",
        "-a",
        f"base_url={site.server.origin}",
        settings=(f"BELITONG_ARCHIVE={site.archive}",),
    )
    deadline = time.monotonic() + 60
    while "Archive " not in killed.output() and killed.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    killed.send_signal(signal.SIGKILL)
    killed.communicate(30)
    fourth, _ = site.crawl()
    assert checked in fourth.log
    # a whole read more than a day ago: read whole again, though nothing changed
    lock = Path(f"{site.archive}.lock")
    stamp, checked_at = lock.read_text().split()
    lock.write_text(f"{stamp} {float(checked_at) - 25 * 3600}\n")
    fifth, _ = site.crawl()
    assert checked in fifth.log
    damage(site.archive)  # in place, its size unchanged, after a run that left its stamp
    sixth, requests = site.crawl()
    assert sixth.returncode == 1 and requests == []
    assert "FAILED: the archive" in last_line(sixth)  # damaged, or not readable as SQLite
