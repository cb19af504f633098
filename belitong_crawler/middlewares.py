"""Downloader middlewares: the origin rule, robots.txt (RFC 9309, and a start-up race mended) and
retries that obey ``Retry-After``."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares import robotstxt
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

DEFAULT_PORTS = {"http": 80, "https": 443}


class OffsiteRequest(IgnoreRequest):
    """A request for another origin than the spider's ``base_url``: never sent."""


def origin(scheme: str, host: str | None, port: int | None) -> tuple[str, str, int | None]:
    """(scheme, host, port) as compared: lower case, the scheme's default port written out."""
    scheme = scheme.lower()
    return scheme, (host or "").lower(), port or DEFAULT_PORTS.get(scheme)


class OriginMiddleware:
    """Every request stays on the spider's ``base_url`` origin: the same scheme, host and port.

    Scrapy's OffsiteMiddleware lets through any request with ``dont_filter`` (later pages of an
    article, every retry, and redirects, which inherit it) and compares host names only. This one sees
    every request the downloader is given: the spider's, robots.txt's, and those that RetryMiddleware
    and RedirectMiddleware return (Scrapy 2.19 schedules those as new requests, which pass through
    every middleware's ``process_request`` again), whatever their ``dont_filter``. It runs first
    (order 50), so a request for another origin never even makes robots.txt be asked there.

    A dropped request is logged at WARNING with its URL (once per URL), counted in the stats
    (``belitong/skipped/offsite``) and fails with ``OffsiteRequest`` (an ``IgnoreRequest``), so its
    errback learns of it. A spider without ``base_url`` disables the middleware.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.logged: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OriginMiddleware:
        if crawler.spider is not None and not getattr(crawler.spider, "base_url", None):
            raise NotConfigured("the spider has no base_url")
        return cls(crawler)

    def base_origin(self) -> tuple[str, str, int | None] | None:
        base_url = getattr(self.crawler.spider, "base_url", None)
        if not base_url:
            return None
        parts = urlsplit(base_url)
        return origin(parts.scheme, parts.hostname, parts.port)

    def allows(self, request: Request) -> bool:
        base = self.base_origin()
        parts = urlparse_cached(request)
        return base is None or origin(parts.scheme, parts.hostname, parts.port) == base

    def process_request(self, request: Request) -> None:
        if self.allows(request):
            return
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("belitong/skipped/offsite")
        if request.url not in self.logged:
            self.logged.add(request.url)
            chain = request.meta.get("redirect_urls") or ()
            logger.warning("Offsite request dropped (not on %s): %s%s",
                           self.crawler.spider.base_url, request.url,  # type: ignore[union-attr]
                           f" (redirected from {chain[0]})" if chain else "")
        raise OffsiteRequest(f"Filtered offsite request: {request.url}")


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
