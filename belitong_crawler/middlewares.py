"""Downloader middlewares."""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.downloadermiddlewares import robotstxt
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import get_meta_refresh
from twisted.internet.defer import Deferred
from w3lib.url import canonicalize_url

from belitong_crawler.urls import parse_article_url


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


class SelfRefreshMiddleware(MetaRefreshMiddleware):
    """Scrapy's meta-refresh redirects, except a page's refresh to itself (``<meta http-equiv=refresh
    content="60; url=<its own URL>">``, a page that reloads every minute): followed, that redirect
    meets the duplicate filter and the page, or a whole listing, is lost."""

    def process_response(self, request: Request, response: Response, spider: Spider | None = None
                         ) -> Request | Response:
        if isinstance(response, HtmlResponse):
            _, url = get_meta_refresh(response, ignore_tags=self._ignore_tags)
            if url and same_page(url, response.url):
                return response
        return super().process_response(request, response)


def same_page(url: str, other: str) -> bool:
    """The same page: the same article page (any URL form), or the same URL once canonicalised."""
    ref, other_ref = parse_article_url(url), parse_article_url(other)
    if ref or other_ref:
        return bool(ref and other_ref and ref[:3] == other_ref[:3] and ref.page == other_ref.page)
    return canonicalize_url(url, keep_fragments=False) == canonicalize_url(other, keep_fragments=False)
