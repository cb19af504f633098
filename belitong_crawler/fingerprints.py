"""Request fingerprints that know an article's identity.

The same article is linked under several URL forms (``/read/<id>/<slug>``, the category-prefixed
canonical, a double slash, an old slug); Scrapy's duplicate filter compares fingerprints, so with
these it asks for each article page once, whatever form a link used.
"""

from __future__ import annotations

import hashlib

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.request import RequestFingerprinter

from belitong_crawler.urls import parse_article_url


class ArticleFingerprinter:
    """Article pages by (origin, article id, page number); every other request as Scrapy does."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.default = RequestFingerprinter(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticleFingerprinter:
        return cls(crawler)

    def fingerprint(self, request: Request) -> bytes:
        ref = parse_article_url(request.url) if request.method == "GET" else None
        if ref is None:
            return self.default.fingerprint(request)
        key = f"article {ref.scheme}://{ref.host} {ref.article_id} {ref.page}"
        return hashlib.sha1(key.encode(), usedforsecurity=False).digest()
