"""One fetched page, parsed once: the Selector and everything structured the page carries.

Field readers and template generations take a ``Page`` instead of re-reading JSON-LD, meta tags
or the ``dataLayer`` each time they need one value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache, cached_property
from urllib.parse import urljoin

from lxml import etree
from lxml.html import HtmlElement
from parsel import Selector
from parsel.csstranslator import css2xpath
from scrapy.http import TextResponse

from belitong_crawler.boilerplate import collapse_space

ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting"}
# Article areas by template, in order of preference.
BODY_CONTAINERS = (
    "div.post.text-black-1",
    "div.post-content",
    "div.post-body",
    "div[itemprop='articleBody']",
    "div.entry-content",
    "div.article-content",
    "div.detail-content",
)
# Where Disway pages print ``Reporter :`` and ``Editor :`` lines.
CREDIT_AREAS = (".post-info", ".post-author", ".author", ".byline", ".post-meta")
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff]")
# ``dataLayer = [{...}]`` or ``dataLayer.push({...})``: the analytics object Disway pages fill with
# the article's rubrik, penulis, editor, tag, id and published_date.
_DATA_LAYER = re.compile(r"dataLayer\s*(?:=\s*\[|\.push\s*\()\s*(\{.*?\})\s*[\])]", re.DOTALL)
# One ``"key": value`` pair (a string in either quotes, a number, or a list of strings): the object is
# JavaScript, not always JSON.
_JS_PAIR = re.compile(
    r"""["']?(\w+)["']?\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(-?\d+)|\[([^\[\]{}]*)\])""")
_JS_STRING = re.compile(r""""((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'""")
_NESTED = re.compile(r"\{[^{}]*\}")
# Keys that make a dataLayer object the article's (an analytics event object has none of them).
_ARTICLE_KEYS = {"rubrik", "penulis", "editor", "tag", "published_date"}


# A PHP error printed where the page should go on: the page is cut short, not an article's end.
_SERVER_ERROR = re.compile(
    r"(?:<b>)?(?:PHP )?(?:Fatal error|Parse error)(?:</b>)?:\s|Allowed memory size of \d+ bytes exhausted"
    r"|Maximum execution time of \d+ seconds? exceeded",
    re.IGNORECASE,
)


def cut_short_reason(html: str) -> str | None:
    """Why a page's HTML is not whole, or None: every page of the site's templates ends with
    ``</html>``, and a server error message in the text means the rest is missing."""
    tail = html[-4096:].lower()
    # The regex has no literal to scan for; every message it knows holds one of these words.
    if any(word in tail for word in ("error", "exhausted", "exceeded")) and _SERVER_ERROR.search(tail):
        return "server error text"
    if "</html>" not in tail[-1024:]:
        return "no closing </html>"
    return None


@cache
def compiled(query: str, css: bool = True) -> etree.XPath:
    """A CSS selector (or, with ``css=False``, an XPath) compiled once for lxml: the readers run the
    same few dozen queries on every page, and compiling them is most of parsel's cost per call."""
    return etree.XPath(css2xpath(query) if css else query)


def select(node: HtmlElement, query: str) -> list:
    """The elements under (or at) ``node`` that a CSS selector matches, in document order."""
    return compiled(query)(node)


def first(node: HtmlElement, query: str) -> HtmlElement | None:
    found = compiled(query)(node)
    return found[0] if found else None


def node_text(node: HtmlElement) -> str:
    """An element's text as a reader sees it: whitespace collapsed, zero-width characters gone."""
    return ZERO_WIDTH.sub("", collapse_space(" ".join(node.itertext())))


class Page:
    """A page and its structured layers, each computed on first use and kept."""

    def __init__(self, selector: Selector, url: str) -> None:
        self.selector = selector
        self.root: HtmlElement = selector.root  # the lxml tree every reader walks
        self.url = url

    @classmethod
    def from_response(cls, response: TextResponse) -> Page:
        return cls(response.selector, response.url)

    @classmethod
    def from_html(cls, html: str, url: str) -> Page:
        return cls(Selector(text=html), url)

    @cached_property
    def base_url(self) -> str:
        """What relative links resolve against: ``<base href>`` when the page sets one."""
        base = next(iter(compiled("//head/base/@href", css=False)(self.root)), None)
        return urljoin(self.url, base.strip()) if base and base.strip() else self.url

    def urljoin(self, href: str) -> str:
        return urljoin(self.base_url, href.strip())

    @cached_property
    def json_ld(self) -> dict:
        """The page's JSON-LD article object (NewsArticle and kin), or {} when there is none.

        Broken JSON, ``@graph`` wrappers and lists are common; none of them stops the other layers.
        """
        for raw in compiled("//script[@type='application/ld+json']/text()", css=False)(self.root):
            try:
                data = json.loads(raw.strip(), strict=False)
            except ValueError:
                continue
            for obj in _json_ld_objects(data):
                kinds = obj.get("@type")
                kinds = {k for k in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(k, str)}
                if kinds & ARTICLE_TYPES:
                    return obj
        return {}

    @cached_property
    def data_layer(self) -> dict[str, str]:
        """The ``dataLayer`` object's string and number values, or {} when the page has none."""
        for script in compiled("//script[not(@src)][contains(., 'dataLayer')]/text()", css=False)(self.root):
            for match in _DATA_LAYER.finditer(script):
                body = match.group(1)[1:-1]
                while _NESTED.search(body):  # objects inside the object: not its own keys
                    body = _NESTED.sub("", body)
                values = {}
                for key, double, single, number, listed in _JS_PAIR.findall(body):
                    if listed:
                        value = ",".join(a or b for a, b in _JS_STRING.findall(listed))
                    else:
                        value = double or single or number
                    if collapse_space(value):
                        values.setdefault(key.lower(), collapse_space(value))
                if values.keys() & _ARTICLE_KEYS:
                    return values
        return {}

    @cached_property
    def meta(self) -> dict[str, str]:
        """``<meta>`` contents by property, name and itemprop: the first non-empty one of each."""
        found: dict[str, str] = {}
        for element in self.root.iter("meta"):
            content = collapse_space(element.get("content") or "")
            if not content:
                continue
            for attribute in ("property", "name", "itemprop"):
                key = element.get(attribute)
                if key:
                    found.setdefault(key, content)
        return found

    def meta_content(self, *names: str) -> str | None:
        """The first of ``names`` the page's meta tags give."""
        return next((self.meta[name] for name in names if name in self.meta), None)

    @cached_property
    def canonical_url(self) -> str | None:
        """The URL the page declares for itself (``link rel=canonical``, else ``og:url``)."""
        href = (next(iter(compiled("//link[@rel='canonical']/@href", css=False)(self.root)), None)
                or self.meta_content("og:url"))
        return self.urljoin(href) if href and href.strip() else None

    @cached_property
    def site_names(self) -> tuple[str, ...]:
        """How the page names its publisher (``og:site_name``, JSON-LD publisher; else the logo's alt
        text), lower-cased."""
        publisher = self.json_ld.get("publisher")
        names = [self.meta_content("og:site_name"),
                 publisher.get("name") if isinstance(publisher, dict) else None]
        if not any(isinstance(n, str) and n.strip() for n in names):  # then the logo says it
            names = compiled("//*[contains(@class, 'navbar-brand') or contains(@class, 'logo')]//img/@alt",
                             css=False)(self.root)[:2]
        return tuple(collapse_space(n).lower() for n in names if isinstance(n, str) and n.strip())

    @cached_property
    def labelled_lines(self) -> list[str]:
        """The texts ``Reporter :``, ``Editor :`` and ``Kategori :`` are looked for in: the lines of
        the credit areas, then the body's paragraphs (not the wrappers around them)."""
        texts: list[str] = []
        for css in CREDIT_AREAS:
            for node in select(self.root, css):
                children = list(node.iterchildren(tag=etree.Element)) or [node]
                texts.extend(map(node_text, children))
                texts.append(node_text(node))
        if self.body_container is not None:  # paragraphs, and divs that hold no paragraph
            blocks = compiled(".//p|.//div[not(.//p or .//div)]", css=False)(self.body_container)
            texts.extend(map(node_text, blocks))
        return list(dict.fromkeys(texts))

    @cached_property
    def body_container(self) -> HtmlElement | None:
        """The article area: the first of the templates' body containers the page has."""
        return next((found for css in BODY_CONTAINERS if (found := first(self.root, css)) is not None), None)


def _json_ld_objects(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for element in data:
            yield from _json_ld_objects(element)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _json_ld_objects(data["@graph"])
