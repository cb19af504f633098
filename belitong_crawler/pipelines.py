"""Item pipelines: normalise, clean, validate, filter, deduplicate, in that order (see settings)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from belitong_crawler.archiving import IncrementalArchive, InvalidArticle
from belitong_crawler.boilerplate import collapse_space, is_boilerplate, split_dateline, watermark_of
from belitong_crawler.dates import first_date, parse_date, to_iso

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
    mark = None
    for index, paragraph in enumerate(paragraphs[:3]):  # a photo credit may stand before the lede
        place, lede = split_dateline(paragraph, bare=index == 0)
        if lede != paragraph:
            paragraphs[index] = lede.strip()
            mark = watermark_of(paragraph[: len(paragraph) - len(lede)])
            if place and not adapter.get("dateline"):
                adapter["dateline"] = place
            break
    host = (urlsplit(adapter.get("url") or "").hostname or "").removeprefix("www.")
    alone = {mark, host} - {None, ""}  # the site's watermark standing alone in a paragraph
    kept = [p for p in paragraphs if p and p.lower() not in alone]
    body = "\n\n".join(kept)
    adapter["body"] = body or None
    # len(body.split()), counted: each paragraph is collapsed, one space between its words
    adapter["word_count"] = body.count(" ") + len(kept)


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
    """Stores every finished article in the archive, through the crawl's ``IncrementalArchive``
    (which sets ``revision`` and drops what is unchanged); with no archive it passes items on."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.archive: IncrementalArchive | None = None

    def open_spider(self) -> None:
        self.archive = self.crawler.get_spider_middleware(IncrementalArchive)

    def process_item(self, item: object) -> object:
        return item if self.archive is None else self.archive.store(item)
