"""Request fingerprints that know an article's identity.

The same article is linked under several URL forms (``/read/<id>/<slug>``, the category-prefixed
canonical, a double slash, an old slug); Scrapy's duplicate filter compares fingerprints, so with
these it asks for each article page once, whatever form a link used. A redirect is the exception:
the site moving ``/read/<id>/<old-slug>`` to ``/<category>/read/<id>/<slug>`` names the same article,
and must not meet the duplicate filter as if it had been fetched already, so redirected requests are
told apart by their URL, as Scrapy does.
"""

from __future__ import annotations

import hashlib

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.request import RequestFingerprinter

from belitong_crawler.urls import parse_article_url


class ArticleFingerprinter:
    """Article pages by (origin, article id, page number); every other request, and every redirected
    one, as Scrapy does."""

    def __init__(self, crawler: Crawler | None = None) -> None:
        self.default = RequestFingerprinter(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArticleFingerprinter:
        return cls(crawler)

    def fingerprint(self, request: Request) -> bytes:
        redirected = "redirect_urls" in request.meta
        ref = parse_article_url(request.url) if request.method == "GET" and not redirected else None
        if ref is None:
            return self.default.fingerprint(request)
        key = f"article {ref.scheme}://{ref.host} {ref.article_id} {ref.page}"
        return hashlib.sha1(key.encode(), usedforsecurity=False).digest()
