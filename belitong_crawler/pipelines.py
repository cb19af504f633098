"""Item pipelines: normalise, clean, validate, filter, deduplicate, in that order (see settings)."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from belitong_crawler.archive import REVISED, UNCHANGED, Archive
from belitong_crawler.boilerplate import collapse_space, is_boilerplate, split_dateline
from belitong_crawler.dates import first_date, parse_date, to_iso
from belitong_crawler.runreport import run_failure, run_is_complete
from belitong_crawler.signals import article_pending, article_unavailable

logger = logging.getLogger(__name__)


class _StatsPipeline:
    """Base for pipelines that count what they do in the crawl stats."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> _StatsPipeline:
        return cls(crawler)


def normalise_published_at(item: object) -> None:
    """``published_at`` from the visible ``date_text`` (or, failing that, the structured value the
    spider left in ``published_at``), as ISO 8601 with the zone the page states."""
    adapter = ItemAdapter(item)
    when = first_date(adapter.get("date_text"), adapter.get("published_at"))
    adapter["published_at"] = to_iso(when) if when else None


def clean_body(item: object) -> None:
    """``body`` without the boilerplate paragraphs the contract lists, the lede's watermark split off
    (its place to ``dateline``), and ``word_count``."""
    adapter = ItemAdapter(item)
    paragraphs = [collapse_space(p) for p in (adapter.get("body") or "").split("\n\n")]
    paragraphs = [p for p in paragraphs if not is_boilerplate(p)]
    for index, paragraph in enumerate(paragraphs[:3]):  # a photo credit may stand before the lede
        place, lede = split_dateline(paragraph)
        if lede != paragraph:
            paragraphs[index] = lede.strip()
            if place and not adapter.get("dateline"):
                adapter["dateline"] = place
            break
    body = "\n\n".join(p for p in paragraphs if p)
    adapter["body"] = body or None
    adapter["word_count"] = len(body.split())


class DatePipeline(_StatsPipeline):
    """Normalises ``published_at`` (see ``normalise_published_at``)."""

    def process_item(self, item: object) -> object:
        normalise_published_at(item)
        return item


class CleanBodyPipeline(_StatsPipeline):
    """Cleans ``body`` and counts its words (see ``clean_body``)."""

    def process_item(self, item: object) -> object:
        clean_body(item)
        return item


class InvalidArticle(DropItem):
    """A page that is not an exportable article (no title, no body): a lasting state, remembered."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"{reason}: {url}", log_level="WARNING")
        self.reason = reason


class ValidationPipeline(_StatsPipeline):
    """An article with no title or no body is not exported; the reason goes to the stats."""

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        for name in ("title", "body"):
            if not adapter.get(name):
                reason = f"no_{name}"
                self.stats.inc_value(f"belitong/dropped/{reason}")
                raise InvalidArticle(reason, adapter.get("url"))
        return item


class DateWindowPipeline(_StatsPipeline):
    """Exports only articles published within the spider's ``since``/``until`` window (WIB days)."""

    def process_item(self, item: object) -> object:
        window = getattr(self.crawler.spider, "window", None)
        if window is None or not window.is_set:
            return item
        adapter = ItemAdapter(item)
        when = parse_date(adapter["published_at"]) if adapter.get("published_at") else None
        if not window.contains(when):
            self.stats.inc_value("belitong/filtered/outside_window")
            raise DropItem(f"outside the since/until window: {adapter.get('url')}", log_level="DEBUG")
        return item


class DuplicatesPipeline(_StatsPipeline):
    """One export per article per run, whatever URL led to it (two slugs can share an id)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.seen: set[int] = set()

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        key = adapter.get("article_id")
        if key in self.seen:
            self.stats.inc_value("belitong/duplicates")
            raise DropItem(f"duplicate article {key}: {adapter.get('url')}", log_level="DEBUG")
        self.seen.add(key)
        return item



class ArchivePipeline(_StatsPipeline):
    """Stores every article in the archive (``BELITONG_ARCHIVE``) and sets ``revision``. An article
    archived before with the same title and body is not exported again; an edited one is, as its
    next revision. Pages found unexportable are remembered at the end of a run that did not collapse
    (a run whose template broke must not block every article for good)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        path = crawler.settings.get("BELITONG_ARCHIVE")
        self.archive = Archive(path) if path else None
        self.run_id: int | None = None
        self.unavailable: list[tuple[int, str, str]] = []
        self.pending: list[tuple[int, str, str]] = []
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.article_unavailable, signal=article_unavailable)
        crawler.signals.connect(self.article_pending, signal=article_pending)

    def open_spider(self) -> None:
        if self.archive is not None:
            self.run_id = self.archive.begin_run(getattr(self.crawler.spider, "unrestricted", False))

    def spider_closed(self, reason: str) -> None:
        if self.archive is None:
            return
        stats = self.stats.get_stats()
        failed = run_failure(stats) is not None
        if not failed:
            for article_id, url, why in self.unavailable:
                if self.archive.is_archived(article_id):  # taken down: the archive keeps it, nothing to redo
                    self.archive.mark_exported(article_id, self.run_id)
                else:
                    self.archive.mark_unavailable(article_id, url, why)
        for entry in self.pending:  # a run that failed (the site down) uses up no page's attempts
            self.archive.mark_pending(*entry, count_attempt=not failed)
        complete = getattr(self.crawler.spider, "unrestricted", False) and run_is_complete(stats, reason)
        if self.run_id is not None:
            self.archive.finish_run(self.run_id, reason, complete)
        self.archive.close()

    def item_dropped(self, item: object, exception: BaseException) -> None:
        if isinstance(exception, InvalidArticle):
            adapter = ItemAdapter(item)
            self.unavailable.append((adapter["article_id"], adapter["url"], exception.reason))

    def article_unavailable(self, article_id: int, url: str, reason: str) -> None:
        self.unavailable.append((article_id, url, reason))

    def article_pending(self, article_id: int, url: str, reason: str) -> None:
        self.pending.append((article_id, url, reason))

    def process_item(self, item: object) -> object:
        if self.archive is None:
            return item
        adapter = ItemAdapter(item)
        spider = self.crawler.spider
        if adapter["article_id"] in getattr(spider, "incomplete_ids", ()):
            # Some of its pages failed: a new article is exported as it is and archived when a later run
            # gets it whole; an archived one keeps its archived version, and is not exported cut short.
            self.stats.inc_value("belitong/archive/incomplete_not_archived")
            if self.archive.is_archived(adapter["article_id"]):
                raise DropItem(f"incomplete re-check: {adapter.get('url')}", log_level="INFO")
            return item
        status, revision = self.archive.store(adapter.asdict(), self.run_id)
        adapter["revision"] = revision
        if status == UNCHANGED and adapter["article_id"] in getattr(spider, "recover_ids", ()):
            # Archived by a run that was killed before its feeds were written: exported again.
            self.archive.mark_exported(adapter["article_id"], self.run_id)
            self.stats.inc_value("belitong/archive/recovered")
            return item
        self.stats.inc_value(f"belitong/archive/{status}")
        if status == UNCHANGED:
            raise DropItem(f"unchanged since last seen: {adapter.get('url')}", log_level="DEBUG")
        if status == REVISED:
            logger.info("Revised (revision %d): %s", revision, adapter.get("url"))
        return item
