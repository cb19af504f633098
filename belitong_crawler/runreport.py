"""How a run went, from its stats: the exit code cron sees and the one-line summary that ends the log."""

from __future__ import annotations

from collections.abc import Mapping


def _sum(stats: Mapping[str, object], prefix: str) -> int:
    return sum(int(v) for k, v in stats.items() if k.startswith(prefix) and isinstance(v, int))


def run_failure(stats: Mapping[str, object]) -> str | None:
    """Why the run failed, or None: nothing fetched at all, or title or body found on fewer than half
    of the article pages fetched (the sign of a changed template)."""
    if not stats.get("belitong/pages_fetched"):
        return "nothing could be fetched"
    pages = int(stats.get("belitong/article_pages", 0))
    for what in ("title", "body"):
        found = int(stats.get(f"belitong/article_pages/with_{what}", 0))
        if pages and found * 2 < pages:
            return f"extraction collapsed: {what} found on {found} of {pages} article pages"
    return None


def summary_line(stats: Mapping[str, object], duration: float, failure: str | None) -> str:
    archived = any(k.startswith("belitong/archive/") for k in stats)
    new = stats.get("belitong/archive/new", 0) if archived else stats.get("item_scraped_count", 0)
    errors = _sum(stats, "belitong/errors/") + int(stats.get("spider_exceptions/count", 0) or 0)
    revised = stats.get("belitong/archive/revised", 0)
    unchanged = stats.get("belitong/archive/unchanged", 0)
    dropped = _sum(stats, "belitong/dropped/")
    line = (f"Run summary: new={new} revised={revised} unchanged={unchanged} dropped={dropped}"
            f" errors={errors} duration={duration:.1f}s")
    return line + (f" FAILED: {failure}" if failure else " ok")
