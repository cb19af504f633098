"""Discovery: front page navigation -> category listings (paginated) -> articles -> related articles.

Reading pages is extraction's job and cleaning is the pipelines'; this module only decides what to
request next and assembles one item per article (all its pages merged).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from belitong_crawler.archiving import FROM_ARCHIVE
from belitong_crawler.arguments import parse_arguments
from belitong_crawler.dates import first_date, parse_date
from belitong_crawler.extraction import ArticlePage, extract_categories, extract_listing, extract_next_page
from belitong_crawler.generations import read_article_page
from belitong_crawler.items import ArticleItem, article_item
from belitong_crawler.middlewares import OffsiteRequest
from belitong_crawler.page import Page, cut_short_reason
from belitong_crawler.signals import article_incomplete, article_pending, article_unavailable, listing_ended
from belitong_crawler.urls import (
    article_id,
    article_request_url,
    category_slug,
    host_of,
    item_url,
    parse_article_url,
)


class BelitongSpider(scrapy.Spider):
    name = "belitong"

    def __init__(self, **kwargs: object) -> None:
        self.args = parse_arguments(kwargs)  # ArgumentError names the bad argument
        super().__init__()
        self.base_url = self.args.base_url
        self.window = self.args.window

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """The default feeds under output/ apply only when the command line names none (-o/-O):
        Scrapy merges FEEDS dictionaries, so they cannot simply sit in FEEDS."""
        super().update_settings(settings)
        minutes = settings.getfloat("BELITONG_MAX_RUN_MINUTES")
        if minutes > 0:  # Scrapy's CloseSpider extension ends the run, as a closespider_timeout
            settings.set("CLOSESPIDER_TIMEOUT", minutes * 60, priority="spider")
        if not settings.getdict("FEEDS"):
            settings.set("FEEDS", settings.getdict("BELITONG_DEFAULT_FEEDS"), priority="spider")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.args.urls:
            self.logger.info("Fetching %d article URL(s) given with urls=, no discovery", len(self.args.urls))
            for url in self.args.urls:
                yield self.article_request(url)
            return
        self.crawler.stats.set_value("belitong/listings_expected", 1)
        yield scrapy.Request(self.base_url + "/", callback=self.parse_front, errback=self.request_failed)

    # --- discovery ----------------------------------------------------------------------------

    def parse_front(self, response: Response) -> Iterator[scrapy.Request]:
        self.crawler.stats.inc_value("belitong/pages_fetched")
        found = extract_categories(Page.from_response(response))
        if self.args.categories:
            by_slug = dict(found)
            for slug in self.args.categories:
                if slug not in by_slug:
                    self.logger.error("Category %r is not linked from the front page's navigation", slug)
                    self.crawler.stats.inc_value("belitong/errors/unknown_category")
            found = [(slug, by_slug[slug]) for slug in self.args.categories if slug in by_slug]
        if not found:
            self.logger.error("No category listing found in the navigation of %s", response.url)
            self.crawler.stats.inc_value("belitong/errors/no_categories")
            return
        self.logger.info(
            "Crawling %d %s: %s",
            len(found),
            "category" if len(found) == 1 else "categories",
            ", ".join(slug for slug, _ in found),
        )
        for slug, url in found:
            yield scrapy.Request(
                url,
                callback=self.parse_listing,
                errback=self.request_failed,
                cb_kwargs={"category": slug, "page": 1, "walked": set()},
            )

    def parse_listing(
        self, response: Response, category: str | None = None, page: int = 1, walked: set[int] | None = None
    ) -> Iterator[scrapy.Request]:
        """One page of a category listing. ``walked``: the article ids this walk of the listing has
        seen so far; a page that brings none new ends the walk (a listing that repeats itself). The
        defaults serve ``scrapy parse -c parse_listing URL``."""
        walked = set() if walked is None else walked
        category = category or category_slug(response.url) or response.url
        cut = cut_short_reason(response.text)
        if cut:
            self.logger.warning(
                "Listing %s page %d arrived cut short (%s): %s", category, page, cut, response.url
            )
            self.crawler.stats.inc_value("belitong/errors/cut_short")
            self.crawler.stats.inc_value("belitong/listing_requests_failed")
            return
        listing = Page.from_response(response)
        entries = extract_listing(listing)
        self.crawler.stats.inc_value("belitong/pages_fetched")
        self.crawler.stats.inc_value("belitong/listing_pages")
        self.logger.info("Listing %s page %d: %d articles (%s)", category, page, len(entries), response.url)
        if entries:
            self.crawler.stats.inc_value("belitong/listing_pages_with_entries")
        else:  # an empty answer or a changed template: not the end of the listing
            self.logger.warning("Listing %s page %d has no article entries: %s", category, page, response.url)
            self.crawler.stats.inc_value("belitong/errors/empty_listing")
        dates = []
        for entry in entries:
            when = parse_date(entry.date_text) if self.window.is_set and entry.date_text else None
            dates.append(when)
            if when is not None and not self.window.contains(when):
                self.crawler.stats.inc_value("belitong/skipped/listed_outside_window")
                continue
            yield self.article_request(entry.url)
        if self.args.max_pages and page >= self.args.max_pages:
            self.logger.info("Listing %s: stopping at max_pages=%d", category, self.args.max_pages)
            return
        if dates and all(self.window.before_start(when) for when in dates):
            self.logger.info(
                "Listing %s: page %d is older than since=%s, stopping", category, page, self.window.since
            )
            return
        ids = {article_id(e.url) for e in entries}
        if entries and ids <= walked:
            self.end_walk(
                "repeat",
                "Listing %s: page %d brings no article this walk has not seen; stopping",
                category,
                page,
            )
            return
        walked |= ids
        next_url = extract_next_page(listing)
        if not next_url:
            if entries:  # the listing's last page: this walk saw all of it
                self.crawler.signals.send_catch_log(listing_ended, category=category)
            return
        if host_of(next_url) != host_of(self.base_url):
            return
        if page >= self.settings.getint("BELITONG_MAX_LISTING_PAGES"):
            self.end_walk("capped", "Listing %s: stopping at BELITONG_MAX_LISTING_PAGES=%d", category, page)
            return
        yield scrapy.Request(
            next_url,
            callback=self.parse_listing,
            errback=self.request_failed,
            cb_kwargs={"category": category, "page": page + 1, "walked": walked},
        )

    def end_walk(self, why: str, message: str, *args: object) -> None:
        """A listing or article walk ended by a cap or a repeat: said, and counted."""
        self.logger.warning(message, *args)
        self.crawler.stats.inc_value(f"belitong/walks/{why}")

    def article_request(self, url: str, from_archive: bool = False) -> scrapy.Request:
        """``from_archive``: asked for again because of the archive (a recheck, a retry), not found on
        the site in this run."""
        return scrapy.Request(
            article_request_url(url) or url,
            callback=self.parse_article,
            errback=self.request_failed,
            cb_kwargs={"item": None},
            meta={FROM_ARCHIVE: from_archive},
        )

    # --- articles -----------------------------------------------------------------------------

    def parse_article(self, response: Response, item: ArticleItem | None = None) -> Iterator[object]:
        """An article's page; ``item``: the pages merged so far, for page 2, 3, ... (None, the
        default, for a first page, as ``scrapy parse -c parse_article URL`` calls it)."""
        self.crawler.stats.inc_value("belitong/pages_fetched")
        if item is not None:
            yield from self.parse_later_page(response, item)
            return
        page = self.read_page(response)
        if page is None:
            self.pending(response.url, "unreadable")
            return
        self.count_article_page(page)
        url = item_url(response.url, page.canonical_url)
        if url is None or host_of(url) != host_of(self.base_url):
            requested = response.meta.get("redirect_urls", [response.url])[0]
            self.logger.warning("Not an article page, skipped: %s -> %s", requested, response.url)
            self.crawler.stats.inc_value("belitong/dropped/not_an_article")
            self.unavailable(requested, "not_an_article")
            return
        yield from self.continue_article(response, article_item(url, page), page)

    def read_page(self, response: Response) -> ArticlePage | None:
        """The fields of an article page, or None for a page that arrived cut short or that the code
        could not read: a passing failure, logged with its URL and counted, never a lost page."""
        cut = cut_short_reason(response.text)
        if cut:
            self.logger.warning("Page arrived cut short (%s): %s", cut, response.url)
            self.crawler.stats.inc_value("belitong/errors/cut_short")
            return None
        try:
            page = read_article_page(Page.from_response(response))
        except Exception as error:  # one bad page must not stop the crawl or lose the others
            self.logger.error("Could not read %s: %s: %s", response.url, type(error).__name__, error)
            self.crawler.stats.inc_value("belitong/errors/unreadable_page")
            return None
        self.crawler.stats.inc_value(f"belitong/generation/{page.generation}")
        return page

    def parse_later_page(self, response: Response, item: ArticleItem) -> Iterator[object]:
        """Page 2, 3, ... of an article. A page that redirects back to one already merged ends the
        article; a page that cannot be read leaves the pages merged so far intact, the article
        incomplete (not archived until a later run gets it whole)."""
        ref = parse_article_url(response.url)
        if ref is None or ref.article_id != item["article_id"] or ref.page in response.meta["merged_pages"]:
            yield item
            return
        page = self.read_page(response)
        if page is None:
            self.incomplete(item, "page_unreadable")
            yield item
            return
        merge_page(item, page)
        yield from self.continue_article(response, item, page)

    def continue_article(self, response: Response, item: ArticleItem, page: ArticlePage) -> Iterator[object]:
        yield from self.related_requests(page)
        ref = parse_article_url(response.url)
        merged = [*response.meta.get("merged_pages", []), ref.page if ref else 1]
        following = parse_article_url(page.next_page_url) if page.next_page_url else None
        if (
            following is None
            or following.article_id != item["article_id"]
            or following.page in merged
            or host_of(page.next_page_url) != host_of(self.base_url)
        ):
            yield item
        elif len(merged) >= self.settings.getint("BELITONG_MAX_ARTICLE_PAGES"):
            self.end_walk(
                "capped", "Article %s: stopping at BELITONG_MAX_ARTICLE_PAGES=%d", item["url"], len(merged)
            )
            yield item
        else:
            # dont_filter: a later page that redirects to one fetched before must still come back here
            yield scrapy.Request(
                page.next_page_url,
                callback=self.parse_article,
                errback=self.page_failed,
                dont_filter=True,
                cb_kwargs={"item": item},
                meta={"merged_pages": merged},
            )

    def count_article_page(self, page: ArticlePage) -> None:
        """Title and body found per article page: when most pages lack them, the template changed."""
        stats = self.crawler.stats
        stats.inc_value("belitong/article_pages")
        if page.title:
            stats.inc_value("belitong/article_pages/with_title")
        if page.paragraphs:
            stats.inc_value("belitong/article_pages/with_body")

    def related_requests(self, page: ArticlePage) -> Iterator[scrapy.Request]:
        if not self.args.follow_related or self.args.urls:
            return
        if self.window.is_set and not self.window.contains(first_date(page.date_text, page.date_structured)):
            return  # an article outside the window leads further away from it
        for url in page.related_urls:
            yield self.article_request(url)

    def page_failed(self, failure: Failure) -> Iterator[ArticleItem]:
        """A later page of a multi-page article failed: export the pages we have, and say so. A page
        that is gone (404/410) ends the article as it is; any other failure leaves it incomplete, to be
        archived when a later run gets it whole."""
        item = failure.request.cb_kwargs["item"]
        reason = self.failure_reason(failure)
        self.crawler.stats.inc_value(f"belitong/errors/page_{reason}")
        if reason not in GONE:
            self.incomplete(item, f"page_{reason}")
        self.logger.warning(
            "Page %s of article %s could not be fetched (%s); exporting %d page(s)",
            failure.request.url,
            item["url"],
            reason,
            item["pages"],
        )
        yield item

    def request_failed(self, failure: Failure) -> None:
        url = failure.request.url
        reason = self.failure_reason(failure)
        if reason == "robots_txt":
            self.crawler.stats.inc_value("belitong/skipped/robots_txt")
            self.logger.info("Forbidden by robots.txt: %s", url)
        else:
            self.crawler.stats.inc_value(f"belitong/errors/{reason}")
            self.logger.warning("Could not fetch %s (%s)", url, reason)
        if failure.request.callback != self.parse_article:
            self.crawler.stats.inc_value("belitong/listing_requests_failed")  # front page or a listing
        elif reason in GONE:
            self.unavailable(url, reason)
        elif reason == "offsite":  # redirected away from the site: the URL asked for is no article here
            self.unavailable(failure.request.meta.get("redirect_urls", [url])[0], "redirected_offsite")
        else:  # blocked, erroring or timing out: asked for again by the next run
            if not failure.request.meta.get(FROM_ARCHIVE):  # one page failing run after run: no outage
                self.crawler.stats.inc_value("belitong/article_requests_failed")
            self.pending(url, reason)

    def unavailable(self, url: str, reason: str) -> None:
        """Tell the archive an article page cannot be exported for a lasting reason."""
        known = article_id(url)
        if known is not None:
            self.crawler.signals.send_catch_log(article_unavailable, article_id=known, url=url, reason=reason)

    def incomplete(self, item: ArticleItem, reason: str) -> None:
        """A multi-page article with a page that failed for a passing reason: exported as it is, and
        asked for again by the next run."""
        self.crawler.stats.inc_value("belitong/incomplete_articles")
        self.crawler.signals.send_catch_log(article_incomplete, article_id=item["article_id"])
        self.pending(item["url"], reason)

    def pending(self, url: str, reason: str) -> None:
        """Tell the archive an article page failed for a passing reason."""
        known = article_id(url)
        if known is not None:
            self.crawler.signals.send_catch_log(article_pending, article_id=known, url=url, reason=reason)

    @staticmethod
    def failure_reason(failure: Failure) -> str:
        if failure.check(OffsiteRequest):
            return "offsite"
        if failure.check(IgnoreRequest) and "robots.txt" in str(failure.value):
            return "robots_txt"
        if failure.check(DownloadCancelledError) or (
            failure.check(IgnoreRequest) and "exceeded DOWNLOAD_MAXSIZE" in str(failure.value)
        ):
            return "too_large"  # Scrapy cancels a download only past DOWNLOAD_MAXSIZE; or while inflating
        response = getattr(failure.value, "response", None)
        return f"http_{response.status}" if response is not None else failure.type.__name__


GONE = ("robots_txt", "http_404", "http_410")


def merge_page(item: ArticleItem, page: ArticlePage) -> None:
    """Add a later page of a multi-page article to its item: body and related links appended, fields
    the first page lacked (tags often sit on the last page) filled in."""
    if page.paragraphs:
        item["body"] = "\n\n".join(p for p in (item["body"], *page.paragraphs) if p)
    item["related_urls"] = list(dict.fromkeys([*item["related_urls"], *page.related_urls]))
    item["tags"] = list(dict.fromkeys([*item["tags"], *page.tags]))
    item["pages"] += 1
    for name in ("title", "reporter", "editor", "category", "image_url", "image_caption"):
        if not item.get(name) and getattr(page, name):
            item[name] = getattr(page, name)
