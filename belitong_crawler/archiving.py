"""The archive's part in a crawl: one component that owns the archive connection for the run.

It is a spider middleware, in the manner of scrapy-deltafetch: requests for articles the archive
already holds are dropped before they are sent, a listing page whose entries a whole earlier walk of
that listing saw is not followed further, and the articles the archive wants seen again (recent ones,
to catch edits; pages that failed; articles a killed run may have lost from its feeds; related links
never fetched) are asked for at the start. ``ArchivePipeline`` stores each finished item through it.
It hears what the spider found (``article_pending``, ``article_unavailable``, ``article_incomplete``,
``listing_ended``) through signals and writes it down when the run ends. The spider knows nothing of
the archive.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from itemadapter import ItemAdapter
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.http import Response

from belitong_crawler.archive import REVISED, UNCHANGED, Archive
from belitong_crawler.dates import WIB
from belitong_crawler.runreport import run_failure, run_is_complete
from belitong_crawler.signals import article_incomplete, article_pending, article_unavailable, listing_ended
from belitong_crawler.urls import parse_article_url

logger = logging.getLogger(__name__)
# What a request for an article page found again through the archive carries in its meta.
FROM_ARCHIVE = "from_archive"


class InvalidArticle(DropItem):
    """A page that is not an exportable article (no title, no body): a lasting state, remembered."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"{reason}: {url}", log_level="WARNING")
        self.reason = reason


class IncrementalArchive:
    """Skips what earlier runs archived, asks again for what they left open, and stores this run's
    articles (``BELITONG_ARCHIVE``; empty turns it off)."""

    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.archive = Archive(path)
        self.path = path
        self.run_id: int | None = None
        # Pages found unavailable since then are not asked for again; older ones are retried. What the
        # archive holds is looked up request by request (a primary key each), so a run's start reads
        # only what it asks for again, whatever the archive's size.
        self.recheck_from = datetime.now(WIB) - timedelta(
            days=crawler.settings.getfloat("BELITONG_RECHECK_DAYS")
        )
        self.recheck = self.archive.recent(self.recheck_from)  # recent enough to be checked for edits
        self.recover = self.archive.killed_runs_articles()  # a killed run's, maybe missing from its feeds
        self.retry = {**self.archive.unavailable_due(self.recheck_from), **self.archive.pending()}
        self.partial_exported = self.archive.pending_partial()  # exported cut short by an earlier run
        self.related_backlog = self.archive.related_backlog(unavailable_since=self.recheck_from)
        self.incomplete: set[int] = set()  # multi-page articles with a page that failed in this run
        self.unavailable: list[tuple[int, str, str]] = []
        self.pending: list[tuple[int, str, str]] = []
        self.unrestricted = False
        # category -> the article ids this run's walk of its listing saw, and whether the walk ended
        # properly (the listing's last page, or a page an earlier whole walk saw)
        self.walks: dict[str, ListingWalk] = {}
        self.record_walks = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalArchive:
        path = crawler.settings.get("BELITONG_ARCHIVE")
        if not path:
            raise NotConfigured("BELITONG_ARCHIVE is empty: no archive")
        component = cls(crawler, path)
        crawler.signals.connect(component.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(component.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(component.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(component.article_unavailable, signal=article_unavailable)
        crawler.signals.connect(component.article_pending, signal=article_pending)
        crawler.signals.connect(component.article_incomplete, signal=article_incomplete)
        crawler.signals.connect(component.listing_ended, signal=listing_ended)
        return component

    # --- the run ---------------------------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        # Only a run that looks at every listing to its end lets later runs stop early.
        arguments = spider.args
        self.unrestricted = not (
            arguments.categories
            or arguments.window.is_set
            or arguments.max_pages
            or arguments.urls
            or not arguments.follow_related
        )
        # A since/until window leaves entries of a listing unrequested: its walks see listings in part.
        self.record_walks = not arguments.window.is_set
        self.run_id = self.archive.begin_run(self.unrestricted)
        logger.info(
            "Archive %s: %d to check for edits, %d to export again after a killed run,"
            " %d related links not fetched yet; %d category listings walked whole before (they stop at"
            " the first page such a walk saw, the others are followed to their end)",
            self.path,
            len(self.recheck),
            len(self.recover),
            len(self.related_backlog),
            self.archive.walked_listings(),
        )

    def spider_closed(self, reason: str) -> None:
        stats = self.stats.get_stats()
        failed = run_failure(stats) is not None
        if not failed:  # a run that failed as a whole (a broken template) must not block pages for good
            for article_id, url, why in self.unavailable:
                if self.archive.is_archived(article_id):  # taken down: the archive keeps it, nothing to redo
                    self.archive.mark_exported(article_id, self.run_id)
                else:
                    self.archive.mark_unavailable(article_id, url, why)
        for entry in self.pending:  # a run that failed (the site down) uses up no page's attempts
            self.archive.mark_pending(*entry, count_attempt=not failed)
        if not failed and self.record_walks:
            self.record_listing_walks()
        complete = self.unrestricted and run_is_complete(stats, reason)
        if self.run_id is not None:
            self.archive.finish_run(self.run_id, reason, complete)
        self.archive.close()

    def record_listing_walks(self) -> None:
        """Remember the ids of each listing walk that ended properly and whose every article is now
        archived or accounted for; a walk cut off by the run's end (SIGTERM, the time limit) or with
        an article still queued is not remembered, and earlier walks' ids stay as they were."""
        for category, walk in self.walks.items():
            if not walk.ended:
                continue
            if all(self.archive.is_accounted_for(article_id) for article_id in walk.article_ids):
                self.archive.record_listing_walk(category, walk.article_ids, self.run_id)
                self.stats.inc_value("belitong/archive/listings_walked_whole")
            else:
                logger.info(
                    "Listing %s: walked to its end, but not all its articles were fetched;"
                    " not remembered as seen",
                    category,
                )

    def item_dropped(self, item: object, exception: BaseException) -> None:
        if isinstance(exception, InvalidArticle):
            adapter = ItemAdapter(item)
            self.unavailable.append((adapter["article_id"], adapter["url"], exception.reason))

    def article_unavailable(self, article_id: int, url: str, reason: str) -> None:
        self.unavailable.append((article_id, url, reason))

    def article_pending(self, article_id: int, url: str, reason: str) -> None:
        self.pending.append((article_id, url, reason))

    def article_incomplete(self, article_id: int) -> None:
        self.incomplete.add(article_id)

    def listing_ended(self, category: str) -> None:
        self.walk(category).ended = True

    def walk(self, category: str) -> ListingWalk:
        return self.walks.setdefault(category, ListingWalk())

    # --- requests ----------------------------------------------------------------------------------

    async def process_start(self, start: AsyncIterator[Request]) -> AsyncIterator[Request]:
        """The spider's start requests, then the article pages the archive wants seen again."""
        spider = self.crawler.spider
        async for request in start:
            yield request
        if spider.args.urls:
            return
        again = {**self.recheck, **self.recover, **self.retry}
        urls = [*again.values(), *(self.related_backlog if spider.args.follow_related else ())]
        for url in dict.fromkeys(self.on_base(url, spider.base_url) for url in urls):
            yield spider.article_request(url, from_archive=True)

    def process_spider_output(self, response: Response, result: Iterable[object]) -> Iterator[object]:
        tally = Counter()
        yield from (output for output in result if self.keep(response, output, tally))

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[object]
    ) -> AsyncIterator[object]:
        tally = Counter()
        async for output in result:
            if self.keep(response, output, tally):
                yield output

    def keep(self, response: Response, output: object, tally: Counter) -> bool:
        """Whether one of a callback's outputs goes on; on a listing page, ``tally`` counts the
        page's article requests and those an earlier whole walk of the listing saw."""
        if not isinstance(output, Request):
            return True
        if self.is_first_article_page(output):
            listing = response.request.cb_kwargs.get("category") if response.request else None
            article_id = _id(output.url)
            if listing and article_id is not None:
                self.walk(listing).article_ids.add(article_id)
                tally["articles"] += 1
                tally["seen"] += self.archive.seen_in_listing(listing, article_id)
            return not self.archived(output, article_id)
        return not self.listing_seen_below(response, output, tally)

    @staticmethod
    def is_first_article_page(request: Request) -> bool:
        return request.cb_kwargs.get("item", False) is None

    def archived(self, request: Request, article_id: int | None) -> bool:
        """An article the archive holds (or found unavailable lately), not asked for by the archive."""
        if (
            request.meta.get(FROM_ARCHIVE)
            or article_id is None
            or not self.archive.is_known(article_id, unavailable_since=self.recheck_from)
        ):
            return False
        self.stats.inc_value("belitong/skipped/archived")
        return True

    def listing_seen_below(self, response: Response, request: Request, tally: Counter) -> bool:
        """The next page of a listing whose page held only articles that an earlier whole walk of
        this listing saw: that walk saw everything below it too, and accounted for it."""
        listing = request.cb_kwargs.get("category")
        if not (listing and tally["articles"] and tally["seen"] == tally["articles"]):
            return False
        self.walk(listing).ended = True
        logger.info(
            "Listing %s: every article of page %s was seen by an earlier whole walk, stopping",
            listing,
            response.url,
        )
        return True

    @staticmethod
    def on_base(url: str, base_url: str) -> str:
        """An archived URL on this run's ``base_url`` (the archive may come from www. or another port)."""
        parts, base = urlsplit(url), urlsplit(base_url)
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))

    # --- items -------------------------------------------------------------------------------------

    def store(self, item: object) -> object:
        """Archive one finished article and set its ``revision``. An article archived before with the
        same title and body is not exported again; an edited one is, as its next revision."""
        adapter = ItemAdapter(item)
        article_id = adapter["article_id"]
        if article_id in self.incomplete:
            # Some of its pages failed: a new article is exported as it is (once) and archived when a
            # later run gets it whole; an archived one keeps its archived version.
            self.stats.inc_value("belitong/archive/incomplete_not_archived")
            if self.archive.is_archived(article_id):
                raise DropItem(f"incomplete re-check: {adapter.get('url')}", log_level="INFO")
            if article_id in self.partial_exported:
                raise DropItem(
                    f"still incomplete, exported cut short before: {adapter.get('url')}", log_level="WARNING"
                )
            return item
        status, revision = self.archive.store(adapter.asdict(), self.run_id)
        adapter["revision"] = revision
        if status == UNCHANGED and article_id in self.recover:
            # Archived by a run that was killed before its feeds were written: exported again.
            self.archive.mark_exported(article_id, self.run_id)
            self.stats.inc_value("belitong/archive/recovered")
            return item
        self.stats.inc_value(f"belitong/archive/{status}")
        if status == UNCHANGED:
            raise DropItem(f"unchanged since last seen: {adapter.get('url')}", log_level="DEBUG")
        if status == REVISED:
            logger.info("Revised (revision %d): %s", revision, adapter.get("url"))
        return item


@dataclass
class ListingWalk:
    """This run's walk of one category listing."""

    article_ids: set[int] = field(default_factory=set)
    ended: bool = False  # at the listing's last page, or at a page an earlier whole walk saw


def _id(url: str) -> int | None:
    ref = parse_article_url(url)
    return ref.article_id if ref else None
