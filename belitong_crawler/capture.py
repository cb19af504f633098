"""``python -m belitong_crawler capture URL...``: turn real article pages into golden tests.

Each page is fetched politely (the project's own settings: User-Agent, robots.txt, retries) and
saved under ``tests/golden/`` as ``<host>-<id>.html.gz`` (the page as received, UTF-8), beside
``<host>-<id>.json``: what the crawler reads from it, as the item it would export (without
``scraped_at`` and ``revision``), after a ``page_url`` key naming where it was fetched. A person
then reads the page and corrects the JSON; ``tests/test_golden.py`` checks every pair from then on.
A multi-page article is captured by its first page only (``pages`` is 1).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response
from scrapy.settings import Settings
from twisted.python.failure import Failure

from belitong_crawler.generations import read_article_page
from belitong_crawler.items import article_item
from belitong_crawler.page import Page
from belitong_crawler.pipelines import clean_body, normalise_published_at
from belitong_crawler.urls import article_request_url, host_of, item_url, parse_article_url

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "tests" / "golden"
NOT_COMPARED = ("scraped_at", "revision")


def golden_item(html: str, page_url: str) -> dict:
    """What the crawler exports for one article page (its first page alone), as a plain dict."""
    fields = read_article_page(Page.from_html(html, page_url))
    item = article_item(item_url(page_url, fields.canonical_url) or page_url, fields)
    normalise_published_at(item)
    clean_body(item)
    return {name: value for name, value in item.items() if name not in NOT_COMPARED}


def golden_name(page_url: str) -> str:
    ref = parse_article_url(page_url)
    assert ref is not None
    return f"{ref.host.replace(':', '_')}-{ref.article_id}"


def save_golden(html: str, page_url: str, folder: Path) -> Path:
    """Write the gzipped page and its JSON; return the JSON's path."""
    folder.mkdir(parents=True, exist_ok=True)
    name = golden_name(page_url)
    (folder / f"{name}.html.gz").write_bytes(gzip.compress(html.encode("utf-8"), mtime=0))
    target = folder / f"{name}.json"
    document = {"page_url": page_url, **golden_item(html, page_url)}
    target.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return target


def load_golden(json_path: Path) -> tuple[str, str, dict]:
    """(page URL, page HTML, expected item) of one golden pair."""
    expected = json.loads(json_path.read_text("utf-8"))
    page_url = expected.pop("page_url")
    html_path = json_path.with_name(json_path.name.removesuffix(".json") + ".html.gz")
    return page_url, gzip.decompress(html_path.read_bytes()).decode("utf-8"), expected


class CaptureSpider(scrapy.Spider):
    """Fetches the given article pages and saves each as a golden pair."""

    name = "capture"

    def __init__(self, urls: list[str], folder: Path, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.folder = folder
        self.base_url = "{0.scheme}://{0.netloc}".format(urlsplit(urls[0]))
        self.allowed_domains = [urlsplit(urls[0]).hostname]
        self.saved: list[Path] = []
        self.failed: list[str] = []

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.save, errback=self.fetch_failed, dont_filter=True)

    def save(self, response: Response) -> None:
        if parse_article_url(response.url) is None:
            self.failed.append(f"{response.url}: not an article page")
            return
        path = save_golden(response.text, response.url, self.folder)
        self.saved.append(path)
        print(f"saved {path} (and {path.name.removesuffix('.json')}.html.gz)", flush=True)

    def fetch_failed(self, failure: Failure) -> None:
        response = getattr(failure.value, "response", None)
        why = f"HTTP {response.status}" if response is not None else failure.getErrorMessage()
        self.failed.append(f"{failure.request.url}: {why}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m belitong_crawler capture",
        description="Save article pages and what the crawler reads from them as golden test pairs.",
    )
    parser.add_argument("urls", nargs="+", metavar="URL", help="article URLs, all of one site, any URL form")
    parser.add_argument(
        "--out", type=Path, default=GOLDEN_DIR, help=f"folder for the pairs (default {GOLDEN_DIR})"
    )
    args = parser.parse_args(argv)
    urls = [article_request_url(u) for u in args.urls]
    bad = [given for given, url in zip(args.urls, urls, strict=True) if url is None]
    if bad:
        print(f"capture: error: not an article URL: {bad[0]}", file=sys.stderr)
        return 2
    if len({host_of(u) for u in urls}) > 1:
        print("capture: error: give the URLs of one site per run", file=sys.stderr)
        return 2
    settings = Settings()
    settings.setmodule("belitong_crawler.settings", priority="project")
    settings.setdict(
        {"ITEM_PIPELINES": {}, "FEEDS": {}, "EXTENSIONS": {}, "BELITONG_ARCHIVE": "", "LOG_LEVEL": "WARNING"},
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(CaptureSpider)
    process.crawl(crawler, urls=urls, folder=args.out)
    process.start()
    spider = crawler.spider
    for failure in spider.failed:
        print(f"capture: not saved: {failure}", file=sys.stderr)
    print(f"{len(spider.saved)} page(s) saved under {args.out}; read each page and correct its JSON.")
    return 1 if spider.failed or not spider.saved else 0


if __name__ == "__main__":
    sys.exit(main())
