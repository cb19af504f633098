"""The article item: the contract's fields, in the contract's (CSV column) order.

``ArticleItem`` (the Scrapy item) and ``article_item`` are in scrapy_items.py and are imported from
here on first use (``from belitong_crawler.items import ArticleItem`` works as ever): the archive and
the export command need only ``ARTICLE_FIELDS``, and so never import Scrapy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from belitong_crawler.scrapy_items import ArticleItem, article_item

__all__ = ["ARTICLE_FIELDS", "ArticleItem", "article_item"]

# Contract order; settings.FEED_EXPORT_FIELDS and the CSV columns follow it.
ARTICLE_FIELDS: tuple[str, ...] = (
    "url",
    "article_id",
    "title",
    "published_at",
    "date_text",
    "reporter",
    "editor",
    "category",
    "tags",
    "dateline",
    "body",
    "image_url",
    "image_caption",
    "related_urls",
    "pages",
    "word_count",
    "scraped_at",
    "revision",
)


def __getattr__(name: str) -> Any:
    if name in ("ArticleItem", "article_item"):
        from belitong_crawler import scrapy_items

        return getattr(scrapy_items, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
