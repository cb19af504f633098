"""The article as a Scrapy item (``ArticleItem``), and the item of an article's first page.

Imported through ``belitong_crawler.items`` on first use, so that what needs only the field names
(the archive, the export command) never imports Scrapy.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import scrapy

from belitong_crawler.items import ARTICLE_FIELDS
from belitong_crawler.urls import article_id

if TYPE_CHECKING:
    from belitong_crawler.extraction import ArticlePage


class ArticleItem(scrapy.Item):
    """One article, all of its pages merged."""

    url = scrapy.Field()
    article_id = scrapy.Field()
    title = scrapy.Field()
    published_at = scrapy.Field()
    date_text = scrapy.Field()
    reporter = scrapy.Field()
    editor = scrapy.Field()
    category = scrapy.Field()
    tags = scrapy.Field()
    dateline = scrapy.Field()
    body = scrapy.Field()
    image_url = scrapy.Field()
    image_caption = scrapy.Field()
    related_urls = scrapy.Field()
    pages = scrapy.Field()
    word_count = scrapy.Field()
    scraped_at = scrapy.Field()
    revision = scrapy.Field()

    @classmethod
    def empty(cls) -> ArticleItem:
        """An item with every field present (None or empty list), so exports never miss a key."""
        item = cls({name: None for name in ARTICLE_FIELDS})
        item["tags"] = []
        item["related_urls"] = []
        return item


def article_item(url: str, page: ArticlePage) -> ArticleItem:
    """The item of an article's first page, as the pipelines receive it: ``published_at`` holds the
    page's structured date, raw (DatePipeline normalises it), ``body`` the paragraphs as read."""
    values = dict(
        url=url,
        article_id=article_id(url),
        title=page.title,
        published_at=page.date_structured,
        date_text=page.date_text,
        reporter=page.reporter,
        editor=page.editor,
        category=page.category,
        tags=page.tags,
        body="\n\n".join(page.paragraphs),
        image_url=page.image_url,
        image_caption=page.image_caption,
        related_urls=page.related_urls,
        pages=1,
        scraped_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    # Every field, in the contract's order (as ArticleItem.empty() has them), set once.
    return ArticleItem({name: values.get(name) for name in ARTICLE_FIELDS})
