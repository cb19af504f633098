"""End-of-crawl report: how many exported items have each field, and what was dropped or missing.

A template change on the site shows first as a field whose coverage falls; this makes it visible in
every run's log and stats (``belitong/coverage/<field>``, ``belitong/missing/<field>``).
"""

from __future__ import annotations

import logging
from collections import Counter

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler

from belitong_crawler.items import ARTICLE_FIELDS

logger = logging.getLogger(__name__)


class FieldCoverage:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.items = 0
        self.present: Counter[str] = Counter()
        # Without the archive no item has a revision: that is no missing field.
        self.fields = [
            name for name in ARTICLE_FIELDS if name != "revision" or crawler.settings.get("BELITONG_ARCHIVE")
        ]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FieldCoverage:
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_scraped(self, item: object) -> None:
        self.items += 1
        adapter = ItemAdapter(item)
        for name in self.fields:
            value = adapter.get(name)
            if value is None or value == "" or value == []:
                self.stats.inc_value(f"belitong/missing/{name}")
            else:
                self.present[name] += 1

    def spider_closed(self) -> None:
        width = max(map(len, ARTICLE_FIELDS))
        lines = [f"Field coverage over {self.items} exported article(s):"]
        for name in ARTICLE_FIELDS:
            if name not in self.fields:
                lines.append(f"  {name:<{width}}  {'-':>6}      -  (no archive: BELITONG_ARCHIVE is empty)")
                continue
            count = self.present[name]
            self.stats.set_value(f"belitong/coverage/{name}", count)
            share = f"{100 * count / self.items:5.1f}%" if self.items else "    -"
            lines.append(f"  {name:<{width}}  {count:>6}  {share}")
        generations = {
            k.removeprefix("belitong/generation/"): v
            for k, v in self.stats.get_stats().items()
            if k.startswith("belitong/generation/")
        }
        lines.append(
            "Article pages by template generation: "
            + (", ".join(f"{name}={count}" for name, count in sorted(generations.items())) or "none")
        )
        counts = {
            k: v
            for k, v in self.stats.get_stats().items()
            if k.startswith(("belitong/dropped/", "belitong/missing/", "belitong/errors/"))
        }
        lines.append(
            "Dropped, missing and errors: "
            + (", ".join(f"{k.removeprefix('belitong/')}={v}" for k, v in sorted(counts.items())) or "none")
        )
        logger.info("\n".join(lines))
