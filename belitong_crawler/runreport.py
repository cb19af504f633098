"""How a run went, from its stats: the exit code cron sees and the one-line summary that ends the log."""

from __future__ import annotations

from collections.abc import Mapping


def _sum(stats: Mapping[str, object], prefix: str) -> int:
    return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))


def run_failure(stats: Mapping[str, object]) -> str | None:
    """Why the run failed, or None: robots.txt unavailable (RFC 9309: then nothing is fetched), stopped
    before its end, nothing fetched, no category listing found or fetched, or title or body found on
    fewer than half of the article pages fetched (the sign of a changed template)."""
    if stats.get("belitong/errors/robots_txt_unavailable"):
        return "robots.txt unavailable (a server error or no answer), so nothing was fetched (RFC 9309)"
    reason = stats.get("finish_reason")
    if reason == TIME_LIMIT:
        return None if _new_articles(stats) else "stopped at BELITONG_MAX_RUN_MINUTES with nothing new"
    if reason is not None and reason != "finished":
        return f"the run was stopped ({reason})"
    if not stats.get("belitong/pages_fetched"):
        return "nothing could be fetched"
    if stats.get("belitong/errors/unknown_category"):
        return "a category given with categories= is not in the navigation"
    if stats.get("belitong/errors/no_categories"):
        return "no category listing found in the front page's navigation"
    if stats.get("belitong/listings_expected"):
        if not stats.get("belitong/listing_pages"):
            return "no category listing could be fetched"
        if not stats.get("belitong/listing_pages_with_entries"):
            return "no listing page had article entries (a changed listing template?)"
    pages = int(stats.get("belitong/article_pages", 0))
    if int(stats.get("belitong/article_requests_failed", 0)) >= COLLAPSE_MIN_PAGES and not pages:
        return "no article page could be fetched (all failed)"
    for what in ("title", "body"):
        found = int(stats.get(f"belitong/article_pages/with_{what}", 0))
        if pages >= COLLAPSE_MIN_PAGES and found * 2 < pages:
            return f"extraction collapsed: {what} found on {found} of {pages} article pages"
    return None


# How Scrapy's CloseSpider extension ends a run at CLOSESPIDER_TIMEOUT (BELITONG_MAX_RUN_MINUTES).
TIME_LIMIT = "closespider_timeout"


def _new_articles(stats: Mapping[str, object]) -> int:
    """New or revised articles (with the archive), else exported ones."""
    if any(k.startswith("belitong/archive/") for k in stats):
        return int(stats.get("belitong/archive/new", 0)) + int(stats.get("belitong/archive/revised", 0))
    return int(stats.get("item_scraped_count", 0))


# Fewer article pages than this say nothing about the template (one video page has no body), and
# fewer failed article requests nothing about an outage (one broken page).
COLLAPSE_MIN_PAGES = 3


def run_is_complete(stats: Mapping[str, object], reason: str) -> bool:
    """Whether the run saw every listing it was meant to: it finished, did not fail, no front or
    listing page failed or came back empty, and the code could read every page. Article pages that
    failed for a passing reason do not count: they are kept as pending and asked for directly by the
    next run."""
    unseen = (
        "belitong/listing_requests_failed",
        "belitong/errors/empty_listing",
        "belitong/walks/capped",
        "spider_exceptions/count",
    )
    return reason == "finished" and run_failure(stats) is None and not any(stats.get(k) for k in unseen)


def summary_line(stats: Mapping[str, object], duration: float, failure: str | None) -> str:
    archived = any(k.startswith("belitong/archive/") for k in stats)
    new = stats.get("belitong/archive/new", 0) if archived else stats.get("item_scraped_count", 0)
    errors = _sum(stats, "belitong/errors/") + int(stats.get("spider_exceptions/count", 0) or 0)
    revised = stats.get("belitong/archive/revised", 0)
    unchanged = stats.get("belitong/archive/unchanged", 0)
    dropped = _sum(stats, "belitong/dropped/")
    recovered = stats.get("belitong/archive/recovered", 0)
    line = (
        f"Run summary: new={new} revised={revised} unchanged={unchanged} dropped={dropped}"
        f" errors={errors} duration={duration:.1f}s"
    )
    if recovered:
        line += f" recovered={recovered}"
    if stats.get("finish_reason") == TIME_LIMIT:
        line += " stopped_at=BELITONG_MAX_RUN_MINUTES"
    return line + (f" FAILED: {failure}" if failure else " ok")
