"""The spider's callbacks on ``HtmlResponse`` objects, no crawl: how walks end, cut-short and
unreadable pages, a later page that leads back to the first, a page that refreshes itself."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from belitong_crawler import spiders
from belitong_crawler.items import ArticleItem
from belitong_crawler.middlewares import SelfRefreshMiddleware
from belitong_crawler.signals import article_pending
from belitong_crawler.spiders.belitong import BelitongSpider

BASE = "https://jogja.disway.id"
LISTING = BASE + "/kategori/ekonomi"


@pytest.fixture
def spider() -> BelitongSpider:
    project = get_project_settings()
    settings = {name: project[name] for name in ("BELITONG_RECHECK_DAYS", "REQUEST_FINGERPRINTER_CLASS")}
    settings.update(BELITONG_ARCHIVE="", BELITONG_MAX_LISTING_PAGES=3, BELITONG_MAX_ARTICLE_PAGES=3)
    crawler = get_crawler(BelitongSpider, settings)
    crawler.spider = BelitongSpider.from_crawler(crawler, base_url=BASE)
    crawler.spider.pending_seen = []
    crawler.signals.connect(
        lambda **kw: crawler.spider.pending_seen.append(kw["reason"]), signal=article_pending, weak=False
    )
    return crawler.spider


def html(body: str, closing: str = "</body></html>") -> bytes:
    return f"<html><head><title>t</title></head><body>{body}{closing}".encode()


def listing_page(ids: list[int], next_href: str | None) -> bytes:
    entries = "".join(
        f'<div class="media-body media-content"><h2 class="media-heading">'
        f'<a href="{BASE}/ekonomi/read/{i}/judul-{i}">J</a></h2></div>'
        for i in ids
    )
    pagination = (
        f'<ul class="pagination"><li class="active"><a>1</a></li><li><a href="{next_href}" rel="next">'
        f"&gt;</a></li></ul>"
        if next_href
        else ""
    )
    return html(entries + pagination)


def outputs(results: object) -> tuple[list[Request], list[ArticleItem]]:
    results = list(results or [])
    return (
        [r for r in results if isinstance(r, Request)],
        [r for r in results if isinstance(r, ArticleItem)],
    )


def test_a_listing_page_that_brings_nothing_new_ends_the_walk(spider: BelitongSpider) -> None:
    walked: set[int] = set()
    first = HtmlResponse(LISTING, body=listing_page([1, 2], LISTING + "/5"))
    requests, _ = outputs(spider.parse_listing(first, "ekonomi", 1, walked))
    assert [r.url for r in requests][-1] == LISTING + "/5"
    again = HtmlResponse(LISTING + "/5", body=listing_page([2, 1], LISTING + "/10"))
    requests, _ = outputs(spider.parse_listing(again, "ekonomi", 2, walked))
    assert [r.url for r in requests if "/kategori/" in r.url] == []  # (repeated articles: the dupefilter's)
    assert spider.crawler.stats.get_value("belitong/walks/repeat") == 1


def test_a_listing_walk_stops_at_its_cap_and_says_so(spider: BelitongSpider) -> None:
    response = HtmlResponse(LISTING + "/10", body=listing_page([7], LISTING + "/15"))
    requests, _ = outputs(spider.parse_listing(response, "ekonomi", 3, set()))
    assert [r.url for r in requests] == [f"{BASE}/ekonomi/read/7/judul-7"]
    assert spider.crawler.stats.get_value("belitong/walks/capped") == 1


ARTICLE = f"""<h1>Judul</h1><div class="post-content"><p>Paragraf halaman {{n}}.</p>
<ul class="pagination"><li class="active"><a>{{n}}</a></li>
<li><a href="{BASE}/ekonomi/read/5/judul/{{next}}" rel="next">&gt;</a></li></ul></div>"""


def first_page_item(spider: BelitongSpider) -> tuple[list[Request], ArticleItem]:
    url = f"{BASE}/ekonomi/read/5/judul"
    response = HtmlResponse(url, body=html(ARTICLE.format(n=1, next=2)), request=Request(url))
    requests, items = outputs(spider.parse_article(response, item=None))
    assert items == []
    return requests, requests[-1].cb_kwargs["item"]


def test_a_later_page_that_redirects_back_to_page_one_ends_the_article(spider: BelitongSpider) -> None:
    requests, item = first_page_item(spider)
    assert requests[-1].url == f"{BASE}/ekonomi/read/5/judul/2"
    back = HtmlResponse(
        f"{BASE}/read/5/judul",
        body=html(ARTICLE.format(n=1, next=2)),
        request=Request(f"{BASE}/read/5/judul", meta=requests[-1].meta),
    )
    _, items = outputs(spider.parse_article(back, item=item))
    assert items == [item]
    assert item["body"] == "Paragraf halaman 1." and item["pages"] == 1


def test_an_article_walk_stops_at_its_cap(spider: BelitongSpider) -> None:
    requests, item = first_page_item(spider)
    for n in (2, 3):
        url = f"{BASE}/ekonomi/read/5/judul/{n}"
        page = HtmlResponse(
            url, body=html(ARTICLE.format(n=n, next=n + 1)), request=Request(url, meta=requests[-1].meta)
        )
        requests, items = outputs(spider.parse_article(page, item=item))
    assert requests == [] and items == [item] and item["pages"] == 3
    assert spider.crawler.stats.get_value("belitong/walks/capped") == 1


@pytest.mark.parametrize(
    ("body", "closing"),
    [
        (ARTICLE.format(n=1, next=2)[:80], ""),  # the connection closed early
        (
            "<p>Paragraf.</p><br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted "
            "(tried to allocate 20480 bytes) in <b>/var/www/system/core/Output.php</b> on line <b>455</b><br />",
            "",
        ),
        ("<p>Paragraf.</p>PHP Fatal error: Maximum execution time of 30 seconds exceeded", "</body></html>"),
    ],
)
def test_a_page_cut_short_is_a_passing_failure_not_an_article(
    spider: BelitongSpider, body: str, closing: str
) -> None:
    response = HtmlResponse(f"{BASE}/read/9/judul", body=html(body, closing))
    requests, items = outputs(spider.parse_article(response, item=None))
    assert (requests, items) == ([], [])
    assert spider.crawler.stats.get_value("belitong/errors/cut_short") == 1
    assert spider.pending_seen == ["unreadable"]


def test_a_page_the_code_cannot_read_is_a_counted_failed_page(
    spider: BelitongSpider, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(page: object) -> None:
        raise ValueError("a page no reader expected")

    monkeypatch.setattr(spiders.belitong, "read_article_page", broken)
    response = HtmlResponse(f"{BASE}/read/9/judul", body=html("<p>x</p>"))
    assert outputs(spider.parse_article(response, item=None)) == ([], [])
    assert spider.crawler.stats.get_value("belitong/errors/unreadable_page") == 1
    assert spider.pending_seen == ["unreadable"]


@pytest.mark.parametrize(
    ("refresh", "followed"),
    [
        (f"60; url={BASE}/read/9/judul", False),
        (f"60; url={BASE}/read/9/judul#top", False),
        (f"0; url={BASE}/ekonomi/read/9/judul-baru", True),
        ("30", False),
        (f"0; url={BASE}/read/10/lain", True),
    ],
)
def test_a_page_that_refreshes_itself_is_kept(refresh: str, followed: bool) -> None:
    crawler = get_crawler(BelitongSpider)
    middleware = SelfRefreshMiddleware.from_crawler(crawler)
    request = Request(f"{BASE}/read/9/judul")
    response = HtmlResponse(
        request.url,
        request=request,
        body=f'<html><head><meta http-equiv="refresh" content="{refresh}"></head></html>'.encode(),
    )
    result = middleware.process_response(request, response)
    assert isinstance(result, Request) is followed
