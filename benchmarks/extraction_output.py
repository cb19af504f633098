"""Everything extraction reads from a set of pages, as one JSON file; and what reading one costs.

Why: a change meant only to make reading faster must leave what is read exactly as it was. Run this
before the change and after it, on the same pages, and compare the two files byte for byte::

    python benchmarks/extraction_output.py /tmp/before.json            # the mirrors' pages
    ... change the code ...
    python benchmarks/extraction_output.py /tmp/after.json && cmp /tmp/before.json /tmp/after.json

``--site DIR`` reads a folder of ``<path>/index.html`` pages instead (``bench_crawl.py --keep`` leaves
its generated site in its temporary folder; generate once and keep it, since the generated dates
follow the day it runs). For every page: the item its article reading gives (``read_article_page``
and the date and body pipelines, as ``capture.golden_item``), its listing entries, its next page and
its category links. Then reading one article page is timed: the best of ``--passes`` per page
(noisy machines), beside parsing alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parsel import Selector

from belitong_crawler.capture import golden_item
from belitong_crawler.extraction import extract_categories, extract_listing, extract_next_page
from belitong_crawler.page import Page

MIRRORS = Path(__file__).resolve().parent.parent / "belitong_crawler" / "mirror"
MIRROR_SITES = (
    (MIRRORS / "site", "https://belitongekspres.com"),
    (MIRRORS / "current" / "site", "https://jogja.disway.id"),
)


def site_pages(root: Path, origin: str) -> list[tuple[str, str]]:
    """(URL, HTML) of every ``index.html`` under ``root``, the URL made from its folder."""
    pages = []
    for path in sorted(root.rglob("index.html")):
        folder = path.parent.relative_to(root).as_posix()
        pages.append((origin + ("/" if folder == "." else f"/{folder}"), path.read_text("utf-8")))
    return pages


def read_everything(url: str, html: str) -> dict:
    page = Page.from_html(html, url)
    found: dict = {
        "listing": [vars(e) for e in extract_listing(page)],
        "next": extract_next_page(page),
        "categories": extract_categories(page),
    }
    if "/read/" in url:
        found["article"] = golden_item(html, url)
    return found


def best_ms(function, pages: list[tuple[str, str]], passes: int) -> float:
    """Mean over pages of each page's best time of ``passes``, in milliseconds."""
    best = [float("inf")] * len(pages)
    for _ in range(passes):
        for index, (url, html) in enumerate(pages):
            started = time.perf_counter()
            function(html, url)
            best[index] = min(best[index], time.perf_counter() - started)
    return sum(best) / len(pages) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", type=Path, help="the JSON file to write")
    parser.add_argument("--site", type=Path, help="a folder of <path>/index.html pages (default: mirrors)")
    parser.add_argument("--origin", default="https://belitongekspres.com", help="the --site's origin")
    parser.add_argument("--passes", type=int, default=10, help="timing passes over the article pages")
    args = parser.parse_args(argv)
    sites = ((args.site, args.origin),) if args.site else MIRROR_SITES
    pages = [page for root, origin in sites for page in site_pages(root, origin)]
    output = {url: read_everything(url, html) for url, html in pages}
    args.output.write_text(json.dumps(output, ensure_ascii=False, indent=1, sort_keys=True), "utf-8")
    articles = [(url, html) for url, html in pages if "/read/" in url]
    print(f"{len(pages)} pages read into {args.output}; {len(articles)} article pages")
    if articles and args.passes:
        ours = best_ms(lambda html, url: golden_item(html, url), articles, args.passes)
        parse = best_ms(lambda html, url: Selector(text=html), articles, args.passes)
        print(
            f"reading one article page {ours:.2f} ms (best of {args.passes} per page); "
            f"parsing alone {parse:.2f} ms; {ours / parse:.1f}x the parse"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
