"""The real ``scrapy crawl belitong`` against a server that misbehaves: redirects off the origin,
errors with ``Retry-After``, a gzip bomb, a huge page, a page cut short, robots.txt that fails; and
what the crawl must never open (the remote-control web service)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from belitong_crawler.mirror_server import MIRROR_ROOT
from tests.conftest import PROJECT_ROOT, CrawlResult, crawl_command, run_crawl
from tests.faultserver import SERVE, BigPage, CutShort, FaultSite, GzipBomb, Redirect, Status
from tests.forkserver import ModuleProcess

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
    for origin, path in (
        (fault_site.trap_host.origin, listing),
        (fault_site.trap_port.origin, retried),
        (fault_site.trap_port.origin, moved),
    ):
        assert len(re.findall(rf"Offsite request dropped.*{re.escape(origin + path)}", result.log)) == 1
    assert fault_site.main.paths().count(retried) == 2
    assert "Traceback" not in result.log


# --- size limits ---------------------------------------------------------------------------------

# Runs a command and prints the peak RSS (KiB) of the children it waited for. A fresh, small process:
# a child's peak starts at its parent's (fork copies it), so pytest itself must not be the parent.
PEAK_RSS = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def test_gzip_bomb_and_huge_page_are_failed_pages_in_bounded_memory(
    fault_site: FaultSite, gzip_bomb: Path, tmp_path: Path
) -> None:
    bomb, huge, cut = page_path(52440), page_path(52463), page_path(52417)
    fault_site.main.fault(bomb, GzipBomb(gzip_bomb))  # 1 MB inflating to 1 GiB
    fault_site.main.fault(huge, BigPage(20 * 1024 * 1024))  # 20 MB, no Content-Length
    fault_site.main.fault(cut, CutShort())  # half its bytes, then the connection closes
    output = tmp_path / "limits.json"
    command = [
        sys.executable,
        "-c",
        PEAK_RSS,
        *crawl_command(output, "-a", f"base_url={fault_site.main.origin}"),
    ]
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    *lines, peak = done.stderr.strip().splitlines()
    log, peak_kib = "\n".join(lines), int(peak)
    result = CrawlResult(done.returncode, log, output)
    assert result.returncode == 0, log[-3000:]
    assert peak_kib < 300 * 1024, f"peak RSS {peak_kib // 1024} MiB"
    assert exported(result) == [i for i in EXPECTED_IDS if i not in (52440, 52463, 52417)]
    assert stat(result, "belitong/errors/too_large") == 2  # the bomb (while inflating), the huge page
    assert stat(result, "belitong/errors/ResponseDataLossError") == 1  # cut short (after its retries)
    assert "exceeded DOWNLOAD_MAXSIZE" in log
    assert "Traceback" not in log


# --- robots.txt and Retry-After ------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 503])
def test_robots_txt_server_error_means_nothing_is_fetched(
    fault_site: FaultSite, tmp_path: Path, status: int
) -> None:
    fault_site.main.fault("/robots.txt", Status(status))
    result = crawl(fault_site, tmp_path / "r.json")
    assert fault_site.main.paths() == ["/robots.txt"]
    assert result.returncode == 1
    assert re.fullmatch(r".*Run summary: .* FAILED: robots\.txt .*", summary(result))
    assert stat(result, "belitong/errors/robots_txt_unavailable") == 1
    assert result.items() == []


def test_robots_txt_unreachable_means_nothing_is_fetched(fault_site: FaultSite, tmp_path: Path) -> None:
    fault_site.main.fault("/robots.txt", CutShort())
    result = crawl(fault_site, tmp_path / "r.json")
    assert fault_site.main.paths() == ["/robots.txt"]
    assert result.returncode == 1
    assert "FAILED: robots.txt" in summary(result)


def test_robots_txt_not_found_means_no_rules(fault_site: FaultSite, tmp_path: Path) -> None:
    fault_site.main.fault("/robots.txt", Status(404, body=b"User-agent: *\nDisallow: /\n"))
    result = crawl(fault_site, tmp_path / "r.json", "-a", "categories=ekonomi", "-a", "follow_related=false")
    assert result.returncode == 0, result.log[-3000:]
    assert fault_site.main.paths().count("/robots.txt") == 1
    assert page_path(52999) in fault_site.main.paths()  # disallowed by the mirror's robots.txt, not now
    assert {52472, 52409, 52371, 52362} <= set(exported(result))


def test_retry_after_is_obeyed(fault_site: FaultSite, tmp_path: Path) -> None:
    path = page_path(52431)
    fault_site.main.fault(path, Status(429, retry_after="2"), SERVE)
    result = crawl(fault_site, tmp_path / "r.json", "-a", f"urls={fault_site.url(path)}")
    assert result.returncode == 0, result.log[-3000:]
    assert exported(result) == [52431]
    first, retry = fault_site.main.times(path)
    assert retry - first >= 2.0


def test_retry_after_is_capped(fault_site: FaultSite, tmp_path: Path) -> None:
    path = page_path(52431)
    fault_site.main.fault(path, Status(503, retry_after="100000"), SERVE)
    result = crawl(
        fault_site,
        tmp_path / "r.json",
        "-a",
        f"urls={fault_site.url(path)}",
        settings=("BELITONG_RETRY_AFTER_MAX=1.5",),
    )
    assert result.returncode == 0, result.log[-3000:]
    assert exported(result) == [52431]
    first, retry = fault_site.main.times(path)
    assert 1.5 <= retry - first < 30
    assert "Retry-After 100000" in result.log


def test_retry_after_header_forms() -> None:
    from datetime import UTC, datetime

    from belitong_crawler.middlewares import retry_after_seconds

    now = datetime(2024, 10, 1, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120", now) == 120
    assert retry_after_seconds("Tue, 01 Oct 2024 12:01:30 GMT", now) == 90
    assert retry_after_seconds("Tue, 01 Oct 2024 11:00:00 GMT", now) == 0  # already past
    assert retry_after_seconds(b"soon", now) is None
    assert retry_after_seconds(b"-5", now) is None
    assert retry_after_seconds(None, now) is None


# --- no remote-control web service ---------------------------------------------------------------


def project_files() -> set[Path]:
    return {
        p
        for p in PROJECT_ROOT.rglob("*")
        if not {"__pycache__", ".pytest_cache", ".git", ".ruff_cache"} & set(p.parts)
    }


def test_no_remote_control_web_service(fault_site: FaultSite, tmp_path: Path) -> None:
    state = tmp_path / "state"  # where Scrapy's remote control writes its job files (platformdirs)
    before = project_files()
    path = page_path(52431)
    result = run_crawl(
        tmp_path / "r.json",
        "-a",
        f"base_url={fault_site.main.origin}",
        "-a",
        f"urls={fault_site.url(path)}",
        env={"XDG_STATE_HOME": str(state)},
    )
    assert result.returncode == 0, result.log[-3000:]
    assert "Remote control" not in result.log and "RemoteControl" not in result.log  # not even loaded
    assert not state.exists()
    assert project_files() == before
    setting = ModuleProcess(
        "scrapy", ["settings", "--get", "REMOTE_CONTROL_ENABLED"], PROJECT_ROOT
    ).communicate(60)
    assert setting.strip() == "False"
    # not even loaded, nor the telnet console: not among the extensions Scrapy imports for a crawl
    from scrapy.settings import Settings

    from belitong_crawler import settings as project

    loaded = Settings()
    loaded.setmodule(project, priority="project")
    names = set(loaded.get_component_priority_dict_with_base("EXTENSIONS"))
    assert {"scrapy.extensions.corestats.CoreStats", "belitong_crawler.extensions.FieldCoverage"} <= names
    assert not [name for name in names if "remote_control" in name or "telnet" in name]
