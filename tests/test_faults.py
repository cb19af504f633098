"""The real ``scrapy crawl belitong`` against a server that misbehaves: redirects off the origin,
errors with ``Retry-After``, a gzip bomb, a huge page, a page cut short, robots.txt that fails; and
what the crawl must never open (the remote-control web service)."""

from __future__ import annotations

import re
from pathlib import Path

from belitong_crawler.mirror_server import MIRROR_ROOT
from tests.conftest import CrawlResult, run_crawl
from tests.faultserver import FaultSite, Redirect, Status

EXPECTED_IDS = sorted(int(p.stem) for p in (MIRROR_ROOT.parent / "expected").glob("*.json"))


def page_path(article_id: int) -> str:
    """The mirror's URL path of an article."""
    folder = next((MIRROR_ROOT / "read" / str(article_id)).iterdir())
    return f"/read/{article_id}/{folder.name}"


def crawl(site: FaultSite, output: Path, *args: str, settings: tuple[str, ...] = ()) -> CrawlResult:
    return run_crawl(output, "-a", f"base_url={site.main.origin}", *args, settings=settings)


def exported(result: CrawlResult) -> list[int]:
    return sorted(item["article_id"] for item in result.items())


def stat(result: CrawlResult, name: str) -> int | None:
    found = re.search(rf"'{re.escape(name)}': (\d+)", result.log)
    return int(found[1]) if found else None


def summary(result: CrawlResult) -> str:
    return result.log.strip().splitlines()[-1]


# --- the origin rule: no request leaves base_url's scheme, host and port ---------------------------


def test_redirects_off_the_origin_reach_no_other_server(fault_site: FaultSite, tmp_path: Path) -> None:
    listing = "/kategori/2/belitung-timur"  # the only listing of 52463
    retried, moved = page_path(52472), page_path(52440)
    # a listing moved to another host; an article that fails, then on the retry (dont_filter) moves
    # to another port; an article moved to another port of the same host
    fault_site.main.fault(listing, Redirect(fault_site.trap_host.origin + listing))
    fault_site.main.fault(retried, Status(503), Redirect(fault_site.trap_port.origin + retried, 302))
    fault_site.main.fault(moved, Redirect(fault_site.trap_port.origin + moved))
    result = crawl(fault_site, tmp_path / "a.json")
    assert fault_site.trapped() == []
    assert result.returncode == 0, result.log[-3000:]
    assert exported(result) == [i for i in EXPECTED_IDS if i not in (52463, 52472, 52440)]
    assert stat(result, "belitong/skipped/offsite") == 3
    for origin, path in ((fault_site.trap_host.origin, listing), (fault_site.trap_port.origin, retried),
                         (fault_site.trap_port.origin, moved)):
        assert len(re.findall(rf"Offsite request dropped.*{re.escape(origin + path)}", result.log)) == 1
    assert fault_site.main.paths().count(retried) == 2
    assert "Traceback" not in result.log
