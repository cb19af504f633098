"""Downloader middlewares."""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.downloadermiddlewares import robotstxt
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class SameHostOffsiteMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter with the contract's stricter rule: ``base_url``'s host itself, not its
    subdomains (``www.`` or another Disway paper), also for redirects."""

    def should_follow(self, request: Request, spider: Spider) -> bool:
        return urlparse_cached(request).hostname in (getattr(spider, "allowed_domains", None) or ())


class RobotsTxtMiddleware(robotstxt.RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with its start-up race mended: requests that wait together for
    robots.txt share one Deferred, and Scrapy 2.19's conversion to a future hands the parser only to
    the first of them (the others get None, which means "allowed"). The parser is in ``_parsers`` by
    then, so the waiters read it from there."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            parser = None if isinstance(stored, Deferred) else stored
        return parser
