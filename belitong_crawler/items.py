"""The article item: the contract's fields, in the contract's (CSV column) order."""

from __future__ import annotations

import scrapy

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


