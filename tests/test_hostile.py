"""The real ``scrapy crawl belitong`` against pages that trap, cut off, nest too deep or refresh
themselves, and against archives that are damaged: every walk ends, nothing is lost, nothing cut is
kept as whole."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from belitong_crawler.archive import Archive
from belitong_crawler.mirror_server import LIVE_ORIGIN, MIRROR_ROOT
from tests.conftest import CrawlResult, expected_articles, run_crawl
from tests.faultserver import SERVE, CutShort, FaultSite, Page, Redirect, Status

EXPECTED_IDS = sorted(int(p.stem) for p in (MIRROR_ROOT.parent / "expected").glob("*.json"))
TRAP = "/kategori/9/jebakan"


def page_path(article_id: int) -> str:
    folder = next((MIRROR_ROOT / "read" / str(article_id)).iterdir())
    return f"/read/{article_id}/{folder.name}"


def crawl(site: FaultSite, output: Path, *args: str, settings: tuple[str, ...] = ()) -> CrawlResult:
    return run_crawl(output, "-a", f"base_url={site.main.origin}", *args, settings=settings)


def exported(result: CrawlResult) -> dict[int, dict]:
    return {item["article_id"]: item for item in result.items()} if result.output.exists() else {}


def stat(result: CrawlResult, name: str) -> int | None:
    found = re.search(rf"'{re.escape(name)}': (\d+)", result.log)
    return int(found[1]) if found else None


def summary(result: CrawlResult) -> str:
    return next(line for line in reversed(result.log.splitlines()) if "Run summary:" in line)


def requested(site: FaultSite, prefix: str) -> list[str]:
    return [p for p in site.main.paths() if p.startswith(prefix)]


def front_with_trap(path: str, html: str) -> str:
    """The front page with one more category in its navigation: the trap."""
    return html.replace(
        '<ul class="nav">', f'<ul class="nav"><li><a href="{LIVE_ORIGIN}{TRAP}">Jebakan</a></li>', 1
    )


def endless_listing(new_entries: bool) -> Page:
    """A listing whose "next" link never ends; each page brings new (missing) articles, or the same."""

    def render(path: str, _: str) -> str:
        offset = int(path.rsplit("/", 1)[1]) if path != TRAP else 0
        ids = [800000 + offset + i for i in range(5)] if new_entries else [52455, 52440]
        entries = "".join(
            f'<div class="media"><div class="media-content"><h2 class="media-heading">'
            f'<a href="{LIVE_ORIGIN}/read/{i}/berita-{i}">Berita {i}</a></h2></div></div>'
            for i in ids
        )
        pagination = (
            f'<ul class="pagination"><li class="active"><a>{offset // 5 + 1}</a></li><li>'
            f'<a href="{LIVE_ORIGIN}{TRAP}/{offset + 5}" rel="next">&gt;</a></li></ul>'
        )
        return f"<html><head><title>Jebakan</title></head><body>{entries}{pagination}<footer>f</footer></body></html>"

    return Page(render)


def trap_site(site: FaultSite, new_entries: bool) -> None:
    site.main.fault("/", Page(front_with_trap))
    site.main.fault_under(TRAP, endless_listing(new_entries))


# --- 1. every walk ends ------------------------------------------------------------------------------


def test_an_endless_listing_stops_at_its_cap_and_loses_nothing_else(
    fault_site: FaultSite, tmp_path: Path
) -> None:
    trap_site(fault_site, new_entries=True)
    result = crawl(fault_site, tmp_path / "a.json", settings=("BELITONG_MAX_LISTING_PAGES=15",))
    assert len(requested(fault_site, TRAP)) == 15
    assert "Listing jebakan: stopping at BELITONG_MAX_LISTING_PAGES=15" in result.log
    assert stat(result, "belitong/walks/capped") == 1
    assert sorted(exported(result)) == EXPECTED_IDS
    assert result.returncode == 0


def test_a_listing_that_repeats_itself_ends_at_the_first_repeat(
    fault_site: FaultSite, tmp_path: Path
) -> None:
    trap_site(fault_site, new_entries=False)
    result = crawl(fault_site, tmp_path / "a.json")
    assert len(requested(fault_site, TRAP)) == 2
    assert stat(result, "belitong/walks/repeat") == 1
    assert sorted(exported(result)) == EXPECTED_IDS


def test_an_endless_multi_page_article_stops_at_its_cap(fault_site: FaultSite, tmp_path: Path) -> None:
    first = page_path(52415)

    def endless(path: str, html: str) -> str:
        number = int(path.rsplit("/", 1)[1]) if path != first else 1
        page = html or (MIRROR_ROOT / first.strip("/") / "index.html").read_text("utf-8")
        nav = (
            f'<ul class="pagination"><li class="active"><a>{number}</a></li><li>'
            f'<a href="{LIVE_ORIGIN}{first}/{number + 1}" rel="next">&gt;</a></li></ul>'
        )
        return page.replace("</body>", f"{nav}</body>")

    fault_site.main.fault(first, Page(endless))
    fault_site.main.fault_under(first + "/", Page(endless))
    result = crawl(fault_site, tmp_path / "a.json", settings=("BELITONG_MAX_ARTICLE_PAGES=6",))
    assert len(requested(fault_site, first)) == 6
    assert exported(result)[52415]["pages"] == 6
    assert "stopping at BELITONG_MAX_ARTICLE_PAGES=6" in result.log
    assert sorted(exported(result)) == EXPECTED_IDS


def test_a_run_stops_at_its_time_limit_and_the_next_cron_run_proceeds(
    fault_site: FaultSite, tmp_path: Path
) -> None:
    trap_site(fault_site, new_entries=True)
    archive = f"BELITONG_ARCHIVE={tmp_path / 'a.sqlite'}"
    limits = ("BELITONG_MAX_LISTING_PAGES=1000000", "BELITONG_MAX_RUN_MINUTES=0.05", archive)
    first = crawl(fault_site, tmp_path / "1.json", settings=limits)
    assert "stopped_at=BELITONG_MAX_RUN_MINUTES" in summary(first) and summary(first).endswith(" ok")
    assert first.returncode == 0  # it archived something new
    assert len(requested(fault_site, TRAP)) >= 2  # trapped: the walk went on until the time ran out
    fault_site.main.fault("/", SERVE)  # the trap is gone: the next run ends by itself, ok
    second = crawl(fault_site, tmp_path / "2.json", settings=(archive,))
    assert "another run holds" not in second.log
    assert second.returncode == 0 and summary(second).endswith(" ok")
    fault_site.main.fault("/", Page(front_with_trap))  # trapped again, every article archived
    third = crawl(fault_site, tmp_path / "3.json", settings=(*limits, "BELITONG_MAX_RUN_MINUTES=0.03"))
    assert "FAILED: stopped at BELITONG_MAX_RUN_MINUTES with nothing new" in summary(third)
    assert third.returncode == 1


# --- 3. a page cut short is never an article -------------------------------------------------------


def php_fatal(path: str, html: str) -> str:
    cut = html[: html.index("</p>", len(html) // 3)]
    return (
        cut
        + "<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted (tried to allocate "
        "20480 bytes) in <b>/home/disway/public_html/system/core/Loader.php</b> on line <b>1290</b><br />\n"
    )


@pytest.mark.parametrize(
    "fault", [CutShort(0.6, declared=False), Page(php_fatal)], ids=["closed_early", "php_fatal"]
)
def test_a_page_cut_short_is_not_kept_and_is_fetched_again(
    fault_site: FaultSite, tmp_path: Path, fault: object
) -> None:
    path, archive = page_path(52409), f"BELITONG_ARCHIVE={tmp_path / 'a.sqlite'}"
    fault_site.main.fault(path, fault)
    first = crawl(fault_site, tmp_path / "1.json", settings=(archive,))
    assert 52409 not in exported(first)
    assert stat(first, "belitong/errors/cut_short") == 1
    assert first.returncode == 0
    fault_site.main.fault(path, SERVE)
    second = crawl(fault_site, tmp_path / "2.json", settings=(archive,))
    assert list(exported(second)) == [52409]
    assert exported(second)[52409]["body"] == expected_articles(fault_site.main.origin)[52409]["body"]


# --- 4, 5, 10. pages read whole whatever their shape ----------------------------------------------------


def test_deep_markup_a_self_refreshing_page_and_a_later_page_back_to_page_one(
    fault_site: FaultSite, tmp_path: Path
) -> None:
    deep, refreshing, multi = page_path(52417), page_path(52398), page_path(52305)

    def nested(path: str, html: str) -> str:
        start = html.index("<p", html.index('class="post-content"'))
        return html[:start] + "<div>" * 1200 + html[start:].replace("</div>", "</div>" * 1201, 1)

    def refreshes(path: str, html: str) -> str:
        return html.replace(
            "</head>", f'<meta http-equiv="refresh" content="60; url={LIVE_ORIGIN}{path}"></head>'
        )

    fault_site.main.fault(deep, Page(nested))
    fault_site.main.fault(refreshing, Page(refreshes))
    fault_site.main.fault("/kategori/5/pilkada-2024", Page(refreshes))  # a whole listing refreshes itself
    fault_site.main.fault(multi + "/2", Redirect(fault_site.main.origin + multi + "?dari=2", 302))
    result = crawl(fault_site, tmp_path / "a.json")
    want, got = expected_articles(fault_site.main.origin), exported(result)
    assert sorted(got) == EXPECTED_IDS
    assert got[52417]["body"] == want[52417]["body"]  # read through 1,200 levels of nesting
    assert stat(result, "belitong/errors/unreadable_page") is None
    assert {k: got[52398][k] for k in want[52398]} == want[52398]
    assert got[52305]["pages"] == 1
    first_page = want[52305]["body"].split("\n\n")
    assert got[52305]["body"].count(first_page[1]) == 1


# --- 8. archives that cannot be used -------------------------------------------------------------------


def damage(path: Path) -> None:
    """Overwrite the middle of a real archive's pages, its header intact."""
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, len(data) - 4096, 4096):
        data[offset + 100 : offset + 400] = b"\xa5" * 300
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def crawled_archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CrawlResult]:
    """A real archive of the whole mirror, made by one crawl (of a fault site without faults) for the
    module's tests, each of which damages a copy of it."""
    folder = tmp_path_factory.mktemp("crawled")
    site = FaultSite().start()
    try:
        made = crawl(site, folder / "0.json", settings=(f"BELITONG_ARCHIVE={folder / 'a.sqlite'}",))
    finally:
        site.stop()
    assert site.trapped() == [], "a request reached another origin"
    return folder / "a.sqlite", made


@pytest.mark.parametrize("kind", ["damaged_pages", "random_bytes", "truncated", "folder_is_a_file"])
def test_an_archive_that_cannot_be_used_stops_the_run_in_one_line(
    fault_site: FaultSite, tmp_path: Path, crawled_archive: tuple[Path, CrawlResult], kind: str
) -> None:
    path = tmp_path / "a.sqlite"
    if kind in ("damaged_pages", "truncated"):
        archive, made = crawled_archive
        for file in archive.parent.glob(f"{archive.name}*"):  # the archive and what the crawl left beside it
            shutil.copy2(file, tmp_path / file.name)
        assert made.returncode == 0
        Archive(path).close()  # checkpointed: the pages are in the main file
        sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
        if kind == "damaged_pages":
            damage(path)
        else:
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif kind == "random_bytes":
        path.write_bytes(bytes(range(256)) * 64)
    else:
        (tmp_path / "file").write_text("x")
        path = tmp_path / "file" / "a.sqlite"
    before = path.read_bytes() if path.exists() else None
    fault_site.main.received.clear()
    result = crawl(fault_site, tmp_path / "1.json", settings=(f"BELITONG_ARCHIVE={path}",))
    assert result.returncode == 1
    assert "Traceback" not in result.log
    assert "FAILED: " in summary(result) and ("archive" in summary(result))
    assert fault_site.main.received == []  # nothing fetched, nothing written
    if before is not None:
        assert path.read_bytes() == before


# --- 9. a short outage does not hide an article --------------------------------------------------------


def test_failed_runs_use_up_no_attempts_of_a_pending_page(fault_site: FaultSite, tmp_path: Path) -> None:
    path, archive = page_path(52409), f"BELITONG_ARCHIVE={tmp_path / 'a.sqlite'}"
    fault_site.main.fault(path, Status(500))
    first = crawl(fault_site, tmp_path / "0.json", settings=(archive, "RETRY_TIMES=0"))
    assert 52409 not in exported(first) and first.returncode == 0
    fault_site.main.down = True
    for run in range(1, 6):  # the site is down through five cron runs
        down = crawl(fault_site, tmp_path / f"{run}.json", settings=(archive, "RETRY_TIMES=0"))
        assert down.returncode == 1
    fault_site.main.down = False
    fault_site.main.fault(path, SERVE)
    back = crawl(fault_site, tmp_path / "back.json", settings=(archive,))
    assert list(exported(back)) == [52409]
    attempts = sqlite3.connect(tmp_path / "a.sqlite").execute("SELECT count(*) FROM pending").fetchone()[0]
    assert attempts == 0
    assert json.loads(json.dumps(exported(back)[52409]))["revision"] == 1
