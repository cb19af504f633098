"""The page's index of elements answers every reader's CSS selector exactly as the selector's XPath
(parsel's translation) does: the same elements, in the same order, on every stored page."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from belitong_crawler import extraction, generations, page
from belitong_crawler.page import Css, Page, class_names, text_of

TESTS = Path(__file__).resolve().parent


def readers_queries() -> list[Css]:
    """Every Css the readers use, and a few more shapes of selector the index answers."""
    found: dict[str, Css] = {}
    for module in (extraction, generations, page):
        for value in vars(module).values():
            values = value if isinstance(value, tuple) else (value,)
            for query in values:
                if isinstance(query, Css):
                    found[query.css] = query
    for query in generations.Disway2024.caption_selectors:
        found[query.css] = query
    for css in (
        "div div p",
        "* a",
        ".post .date",
        "a[href*='/read/']",
        "ul.pagination a[rel~='next']",
        "div[itemprop='articleBody'] p",
        "h2.media-heading a[href], h3.media-heading a[href]",
    ):
        found[css] = Css(css)
    return list(found.values())


def stored_pages() -> list[tuple[str, str]]:
    pages = [
        (str(p.relative_to(TESTS)), p.read_text("utf-8", errors="replace"))
        for p in sorted((TESTS / "mirror").rglob("*.html"))
    ]
    pages += [
        (p.name, gzip.decompress(p.read_bytes()).decode("utf-8"))
        for p in sorted((TESTS / "golden").glob("*.html.gz"))
    ]
    pages += [
        (
            "odd classes",
            '<div class="post  text-black-1\tx"><p class="post post">a</p><p class="a\u00a0b">b</p></div>',
        ),
        (
            "nested areas",
            '<div class="post-info"><div class="post-info"><span class="date">d</span></div></div>',
        ),
        ("xml", "<?xml version='1.0'?><html><body><DIV class='post-content'><P>A</P></DIV></body></html>"),
    ]
    return pages


QUERIES = readers_queries()
PAGES = stored_pages()


@pytest.mark.parametrize(("name", "html"), PAGES, ids=[name for name, _ in PAGES])
def test_index_finds_what_the_xpath_finds(name: str, html: str) -> None:
    parsed = Page.from_html(html, "https://belitongekspres.com/read/1/x")
    for query in QUERIES:
        assert parsed.select(query) == query.xpath(parsed.root), query


def test_class_names_split_as_xpath_normalize_space_does() -> None:
    assert class_names("post  text-black-1\tx\n") == ["post", "text-black-1", "x"]
    assert class_names("a\u00a0b c") == ["a\u00a0b", "c"]  # a non-breaking space is no separator


def test_text_of_is_the_joined_itertext() -> None:
    root = Page.from_html("<div>a<!-- c -->b<p>d<b>e</b>f</p>g</div>", "https://x.id/").root
    for element in root.iter():
        if isinstance(element.tag, str):
            assert text_of(element) == "".join(element.itertext())
