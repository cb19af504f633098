"""Downloader middlewares."""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.utils.httpobj import urlparse_cached


class SameHostOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter with the contract's stricter rule: ``base_url``'s host itself, not its
    subdomains (``www.`` or another Disway paper), also for redirects."""

    def should_follow(self, request: Request, spider: Spider) -> bool:
        return urlparse_cached(request).hostname in (getattr(spider, "allowed_domains", None) or ())
