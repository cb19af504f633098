"""Downloader middlewares: the origin rule, robots.txt (RFC 9309, and a start-up race mended) and
retries that obey ``Retry-After``."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.downloadermiddlewares import robotstxt
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.response import get_meta_refresh
from twisted.internet.defer import Deferred
from w3lib.url import canonicalize_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

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
            logger.warning(
                "Offsite request dropped (not on %s): %s%s",
                self.crawler.spider.base_url,
                request.url,  # type: ignore[union-attr]
                f" (redirected from {chain[0]})" if chain else "",
            )
        # no URL in the message: the spider reads "robots.txt" in a message as robots.txt's refusal
        raise OffsiteRequest("request off base_url's origin")


# What a robots.txt that cannot be read means (RFC 9309, 2.3.1.4): complete disallow.
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


class RobotsTxtMiddleware(robotstxt.RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with RFC 9309's rules for a robots.txt that cannot be read, and
    a start-up race mended.

    - robots.txt is asked for once per run, never retried. An answer of 5xx, or none (a timeout, a
      connection refused or cut short), means complete disallow: nothing else is fetched from the site
      in that run, the stats get ``belitong/errors/robots_txt_unavailable`` and the run fails with
      that reason (``runreport.run_failure``). The next run asks again.
    - A 4xx answer means no rules, whatever its body says (Scrapy would parse a 404 page's text).
    - The race: requests that wait together for robots.txt share one Deferred, and Scrapy 2.19's
      conversion to a future hands the parser only to the first of them (the others get None, which
      means "allowed"). The parser is in ``_parsers`` by then, so the waiters read it from there.

    It overrides Scrapy 2.19's ``_parse_robots`` and ``_robots_error``, where the answer is known.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        # Scrapy logs a robots.txt it could not fetch with the whole traceback (70 lines for a site
        # that cannot be reached); ``_robots_error`` says it in one line, with the reason.
        if not any(isinstance(f, _NoRobotsTraceback) for f in robotstxt.logger.filters):
            robotstxt.logger.addFilter(_NoRobotsTraceback())

    async def process_request(self, request: Request) -> None:
        if (
            request.meta.get("dont_obey_robotstxt")
            and request.callback is NO_CALLBACK
            and urlparse_cached(request).path == "/robots.txt"
        ):
            request.meta.setdefault("dont_retry", True)  # our own robots.txt request: asked once
        await super().process_request(request)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            parser = None if isinstance(stored, Deferred) else stored
        return parser

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._unavailable(netloc, f"it answered HTTP {response.status}")
            response = response.replace(body=DISALLOW_ALL)
        elif response.status >= 400:
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if not isinstance(exc, IgnoreRequest):
            self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._unavailable(netloc, f"it could not be fetched: {type(exc).__name__}: {exc}")
        waiting = self._parsers.get(netloc)
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        self._parsers[netloc] = parser
        if isinstance(waiting, Deferred):
            waiting.callback(parser)

    def _unavailable(self, netloc: str, why: str) -> None:
        self._stats.inc_value("belitong/errors/robots_txt_unavailable")
        logger.error(
            "robots.txt of %s is unavailable (%s): nothing is fetched from the site in this run (RFC 9309)",
            netloc,
            why,
        )


class _NoRobotsTraceback(logging.Filter):
    """Drops Scrapy's "Error downloading" record for robots.txt (``RobotsTxtMiddleware`` logs it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and record.msg.startswith("Error downloading"))


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header's wait in seconds (it holds seconds or an HTTP date), or None."""
    if not value:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, and a 429 or 503 answer's ``Retry-After`` obeyed: the retry is sent that
    much later, but never more than ``BELITONG_RETRY_AFTER_MAX`` seconds (a site asking for a day
    would hold the run for a day). The wait holds this request only; the run goes on meanwhile."""

    RETRY_AFTER_STATUSES = (429, 503)

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.max_wait = max(0.0, settings.getfloat("BELITONG_RETRY_AFTER_MAX"))

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request) and response.status in self.RETRY_AFTER_STATUSES:
            asked = retry_after_seconds(response.headers.get(b"Retry-After"))
            if asked:
                wait = min(asked, self.max_wait)
                logger.info(
                    "%s answered %d with Retry-After %s: retrying in %.1f s%s",
                    request.url,
                    response.status,
                    response.headers.get(b"Retry-After", b"").decode("latin-1"),
                    wait,
                    " (BELITONG_RETRY_AFTER_MAX)" if wait < asked else "",
                )
                self.crawler.stats.inc_value("belitong/retry_after_waits")
                await sleep(wait)
        return result


class SelfRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta-refresh redirects, except a page's refresh to itself (``<meta http-equiv=refresh
    content="60; url=<its own URL>">``, a page that reloads every minute): followed, that redirect
    meets the duplicate filter and the page, or a whole listing, is lost."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if isinstance(response, HtmlResponse):
            _, url = get_meta_refresh(response, ignore_tags=self._ignore_tags)
            if url and same_page(url, response.url):
                return response
        return super().process_response(request, response)


def same_page(url: str, other: str) -> bool:
    """The same URL once canonicalised (query order, fragment): a refresh to the page itself. A refresh
    to another URL of the same article (a stub that moved) is a real redirect."""
    return canonicalize_url(url, keep_fragments=False) == canonicalize_url(other, keep_fragments=False)
