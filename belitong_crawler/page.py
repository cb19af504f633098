"""One fetched page, parsed once: the Selector and everything structured the page carries.

Field readers and template generations take a ``Page`` instead of re-reading JSON-LD, meta tags
or the ``dataLayer`` each time they need one value.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache, cached_property
from urllib.parse import urljoin

import cssselect
from lxml import etree
from parsel import Selector
from parsel.csstranslator import css2xpath
from parsel.selector import create_root_node
from scrapy.http import HtmlResponse, TextResponse

from belitong_crawler.boilerplate import collapse_space

ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting"}
# An element's own text nodes (the XPath ``text()``: each one, not only the first as ``.text``).
_TEXT_NODES = etree.XPath("text()")
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff]")
# ``dataLayer = [{...}]`` or ``dataLayer.push({...})``: the analytics object Disway pages fill with
# the article's rubrik, penulis, editor, tag, id and published_date.
_DATA_LAYER = re.compile(r"dataLayer\s*(?:=\s*\[|\.push\s*\()\s*(\{.*?\})\s*[\])]", re.DOTALL)
# One ``"key": value`` pair (a string in either quotes, a number, or a list of strings): the object is
# JavaScript, not always JSON.
_JS_PAIR = re.compile(
    r"""["']?(\w+)["']?\s*:\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(-?\d+)|\[([^\[\]{}]*)\])"""
)
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


def select(node: etree._Element, query: str) -> list:
    """The elements under (or at) ``node`` that a CSS selector matches, in document order."""
    return compiled(query)(node)


def first(node: etree._Element, query: str) -> etree._Element | None:
    found = compiled(query)(node)
    return found[0] if found else None


def node_text(node: etree._Element) -> str:
    """An element's text as a reader sees it: whitespace collapsed, zero-width characters gone."""
    joined = " ".join(node.itertext()) if len(node) else node.text or ""  # a leaf: its text alone
    return without_zero_width(collapse_space(joined))


def text_of(node: etree._Element) -> str:
    """All the text under an element as it stands, ``"".join(node.itertext())``: lxml's text
    serialisation gives the same string at a fraction of itertext's cost."""
    return etree.tostring(node, method="text", encoding=str, with_tail=False)


def without_zero_width(text: str) -> str:
    return text if text.isascii() else ZERO_WIDTH.sub("", text)


# What XPath's normalize-space() (and so CSS's ``.name`` and ``~=``) splits a class attribute on.
_XML_SPACE_WORDS = re.compile("[^ \t\n\r]+").findall


def class_names(value: str) -> list[str]:
    """The names in a class attribute, as CSS reads it: split on XML whitespace only (str.split()
    also splits on non-breaking and other spaces, so it serves only plain printable ASCII)."""
    return value.split() if value.isascii() and value.isprintable() else _XML_SPACE_WORDS(value)


class _Compound:
    """One compound selector (``div.post[itemprop='x']``): what one element must be."""

    def __init__(self, tree: cssselect.parser.Tree) -> None:
        self.tag: str | None = None
        self.classes: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []  # (name, operator, value)
        while not isinstance(tree, cssselect.parser.Element):
            if isinstance(tree, cssselect.parser.Class):
                self.classes.insert(0, tree.class_name)
            elif (
                isinstance(tree, cssselect.parser.Attrib)
                and tree.namespace is None
                and tree.operator in ("exists", "=", "~=", "*=")
            ):
                value = tree.value.value if tree.value is not None else None
                if tree.operator != "exists" and not value:
                    raise ValueError(f"empty attribute value: {tree!r}")
                self.attributes.insert(0, (tree.attrib.lower(), tree.operator, value))
            else:
                raise ValueError(f"not a selector pages are indexed for: {tree!r}")
            tree = tree.selector
        if tree.namespace is not None:
            raise ValueError(f"not a selector pages are indexed for: {tree!r}")
        self.tag = tree.element.lower() if tree.element else None
        # A lone class (``.name``) or tag (``h1``): the index's list is the answer, with no check.
        lone_class = len(self.classes) == 1 and self.tag is None
        self.indexed = not self.attributes and (not self.classes or lone_class)

    def find(self, page: Page) -> list[etree._Element]:
        """The page's elements it matches: candidates from the page's index (by the first class it
        names, else its tag), checked."""
        if self.classes:
            candidates = page.by_class.get(self.classes[0], ())
        elif self.tag is not None:
            candidates = page.tagged(self.tag)
        else:
            candidates = page.elements
        if self.indexed:
            return list(candidates)
        return [element for element in candidates if self.matches(element)]

    def matches(self, element: etree._Element) -> bool:
        if self.tag is not None and element.tag != self.tag:
            return False
        if self.classes:
            value = element.get("class")
            names = class_names(value) if value else ()
            if not all(name in names for name in self.classes):
                return False
        for name, operator, expected in self.attributes:
            value = element.get(name)
            if value is None:
                return False
            if operator == "=" and value != expected:
                return False
            if operator == "~=" and expected not in class_names(value):
                return False
            if operator == "*=" and expected not in value:
                return False
        return True


class _Chain:
    """One selector of a group: compound selectors joined by descendant combinators (``a b c``)."""

    def __init__(self, tree: cssselect.parser.Tree) -> None:
        compounds = []
        while isinstance(tree, cssselect.parser.CombinedSelector):
            if tree.combinator != " ":
                raise ValueError(f"not a selector pages are indexed for: {tree!r}")
            compounds.insert(0, _Compound(tree.subselector))
            tree = tree.selector
        compounds.insert(0, _Compound(tree))
        self.subject = compounds[-1]  # the element the selector selects
        self.ancestors = compounds[:-1]

    def find(self, page: Page) -> list[etree._Element]:
        """The page's elements this selector matches, in document order. The ancestors' compounds
        are looked up first: most selectors name an area most pages do not have."""
        ancestors = []
        for compound in self.ancestors:
            found = compound.find(page)
            if not found:
                return []
            ancestors.append(set(found))
        found = self.subject.find(page)
        return [e for e in found if _under(e, ancestors)] if ancestors else found


def _under(element: etree._Element, ancestors: list[set[etree._Element]]) -> bool:
    """Whether ``element`` lies under one of each of ``ancestors`` (outermost first), nested in
    that order: the nearest of each is the one to go on from."""
    wanted = len(ancestors) - 1
    for ancestor in element.iterancestors():
        if ancestor in ancestors[wanted]:
            wanted -= 1
            if wanted < 0:
                return True
    return False


class Css:
    """A CSS selector group compiled once, twice: as lxml XPath for queries under one element, and as
    matchers over the page's index of elements for page-wide queries (no walk of the whole tree).
    Either gives what parsel's CSS would: the matching elements in document order."""

    def __init__(self, css: str) -> None:
        self.css = css
        self.xpath = etree.XPath(css2xpath(css))
        self.chains = [_Chain(selector.parsed_tree) for selector in cssselect.parse(css)]

    def __repr__(self) -> str:
        return f"Css({self.css!r})"

    def under(self, node: etree._Element) -> list[etree._Element]:
        """The elements at or under ``node`` it matches."""
        return self.xpath(node)

    def find(self, page: Page) -> list[etree._Element]:
        """The elements of the whole page it matches."""
        if len(self.chains) == 1:
            return self.chains[0].find(page)
        found = [matches for chain in self.chains if (matches := chain.find(page))]
        if len(found) <= 1:
            return found[0] if found else []
        position = page.position
        return sorted({e: None for matches in found for e in matches}, key=position.__getitem__)


# An HTML document read by parsel's Selector(text=...) as JSON or XML: left to parsel.
_NOT_HTML = re.compile(r"[ \t\n\r]*[\[{]|[\s\ufeff]*<\?xml\s")


def parse_html(text: str) -> etree._Element:
    """The tree of an HTML page as parsel builds it (the same clean-up of the text, libxml2's HTML
    parser), with lxml's plain elements: lxml.html's element classes cost a Python call for every
    element a reader touches."""
    return create_root_node(text, etree.HTMLParser)


# Article areas by template, in order of preference.
BODY_CONTAINERS = tuple(
    map(
        Css,
        (
            "div.post.text-black-1",
            "div.post-content",
            "div.post-body",
            "div[itemprop='articleBody']",
            "div.entry-content",
            "div.article-content",
            "div.detail-content",
        ),
    )
)
# Where Disway pages print ``Reporter :`` and ``Editor :`` lines.
CREDIT_AREAS = tuple(map(Css, (".post-info", ".post-author", ".author", ".byline", ".post-meta")))


class Page:
    """A page and its structured layers, each computed on first use and kept.

    Page-wide queries go through one index of the page's elements, built in one walk of the tree
    (``elements``; ``tagged`` and ``by_class``): a reader looks its candidates up there instead of
    walking the whole document again for each selector.
    """

    def __init__(self, root: etree._Element, url: str) -> None:
        if not isinstance(root, etree._Element):  # what parsel makes of a JSON text: no page to read
            raise TypeError(f"not an HTML or XML page: {type(root).__name__}")
        self.root = root  # the lxml tree every reader walks
        self.url = url

    @classmethod
    def from_response(cls, response: TextResponse) -> Page:
        if isinstance(response, HtmlResponse):  # what response.selector would parse, as parsel does
            return cls(parse_html(response.text), response.url)
        return cls(response.selector.root, response.url)

    @classmethod
    def from_html(cls, html: str, url: str) -> Page:
        return cls(Selector(text=html).root if _NOT_HTML.match(html) else parse_html(html), url)

    @cached_property
    def elements(self) -> list[etree._Element]:
        """Every element of the page, in document order (comments and processing instructions are
        not elements)."""
        return list(self.root.iter(etree.Element))

    def tagged(self, tag: str) -> list[etree._Element] | tuple[()]:
        """The page's elements of one tag name, in document order."""
        return self._index[0].get(tag, ())

    @property
    def by_class(self) -> dict[str, list[etree._Element]]:
        """The page's elements by each name in their class attribute, each list in document order."""
        return self._index[1]

    @cached_property
    def _index(self) -> tuple[dict[str, list[etree._Element]], dict[str, list[etree._Element]]]:
        """The page's elements by tag name and by class name, in one walk of the tree."""
        by_tag: defaultdict[str, list[etree._Element]] = defaultdict(list)
        index: defaultdict[str, list[etree._Element]] = defaultdict(list)
        for element in self.elements:
            by_tag[element.tag].append(element)
            value = element.get("class")
            if value:  # class_names(value), inline: this loop runs for every element of every page
                names = value.split() if value.isascii() and value.isprintable() else _XML_SPACE_WORDS(value)
                for name in names:
                    found = index[name]
                    if not found or found[-1] is not element:  # class="post post" lists it once
                        found.append(element)
        return by_tag, index

    @cached_property
    def position(self) -> dict[etree._Element, int]:
        """Each element's place in document order: how page-wide matches of several selectors are
        put in order."""
        return {element: index for index, element in enumerate(self.elements)}

    def select(self, query: Css) -> list[etree._Element]:
        """The page's elements ``query`` matches, in document order."""
        return query.find(self)

    def first(self, query: Css) -> etree._Element | None:
        found = query.find(self)
        return found[0] if found else None

    @cached_property
    def base_url(self) -> str:
        """What relative links resolve against: ``<base href>`` when the page sets one."""
        base = next(
            (
                element.get("href")
                for element in self.tagged("base")  # //head/base/@href
                if element.get("href") is not None and _parent_tag(element) == "head"
            ),
            None,
        )
        return urljoin(self.url, base.strip()) if base and base.strip() else self.url

    def urljoin(self, href: str) -> str:
        return urljoin(self.base_url, href.strip())

    @cached_property
    def json_ld(self) -> dict:
        """The page's JSON-LD article object (NewsArticle and kin), or {} when there is none.

        Broken JSON, ``@graph`` wrappers and lists are common; none of them stops the other layers.
        """
        scripts = (s for s in self.tagged("script") if s.get("type") == "application/ld+json")
        for raw in (text for script in scripts for text in _TEXT_NODES(script)):
            try:
                data = json.loads(raw.strip(), strict=False)
            except ValueError:
                continue
            if _SURROGATE_ESCAPE.search(raw):
                data = _without_lone_surrogates(data)
            for obj in _json_ld_objects(data):
                kinds = obj.get("@type")
                kinds = {k for k in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(k, str)}
                if kinds & ARTICLE_TYPES:
                    return obj
        return {}

    @cached_property
    def data_layer(self) -> dict[str, str]:
        """The ``dataLayer`` object's string and number values, or {} when the page has none."""
        scripts = (
            s
            for s in self.tagged("script")  # //script[not(@src)][contains(., 'dataLayer')]
            if s.get("src") is None and "dataLayer" in text_of(s)
        )
        for text in (text for script in scripts for text in _TEXT_NODES(script)):
            for match in _DATA_LAYER.finditer(text):
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
        for element in self.tagged("meta"):
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
        declared = (
            link.get("href")
            for link in self.tagged("link")  # //link[@rel='canonical']/@href
            if link.get("rel") == "canonical" and link.get("href") is not None
        )
        href = next(declared, None) or self.meta_content("og:url")
        return self.urljoin(href) if href and href.strip() else None

    @cached_property
    def site_names(self) -> tuple[str, ...]:
        """How the page names its publisher (``og:site_name``, JSON-LD publisher; else the logo's alt
        text), lower-cased."""
        publisher = self.json_ld.get("publisher")
        names = [
            self.meta_content("og:site_name"),
            publisher.get("name") if isinstance(publisher, dict) else None,
        ]
        if not any(isinstance(n, str) and n.strip() for n in names):  # then the logo says it
            names = self._logo_texts()[:2]
        return tuple(collapse_space(n).lower() for n in names if isinstance(n, str) and n.strip())

    def _logo_texts(self) -> list[str]:
        """``//*[contains(@class, 'navbar-brand') or contains(@class, 'logo')]//img/@alt``."""
        logos = {
            element
            for name, elements in self.by_class.items()
            if "navbar-brand" in name or "logo" in name
            for element in elements
        }
        if not logos:
            return []
        return [
            img.get("alt")
            for img in self.tagged("img")
            if img.get("alt") is not None and any(a in logos for a in img.iterancestors())
        ]

    @cached_property
    def credit_lines(self) -> list[str]:
        """The lines of the credit areas (each child's text), each area's whole text after them."""
        texts: list[str] = []
        for query in CREDIT_AREAS:
            for node in self.select(query):
                children = list(node.iterchildren(tag=etree.Element)) or [node]
                texts.extend(map(node_text, children))
                texts.append(node_text(node))
        return texts

    @cached_property
    def body_lines(self) -> list[str]:
        """The texts of the body's paragraphs, and of divs that hold no paragraph (not the wrappers
        around them)."""
        if self.body_container is None:
            return []
        return [
            node_text(element)
            for element in self.body_container.iterdescendants("p", "div")
            if element.tag == "p" or next(element.iterdescendants("p", "div"), None) is None
        ]

    def labelled_lines(self, label: str) -> Iterator[str]:
        """The texts ``Reporter :``, ``Editor :`` and ``Kategori :`` are looked for in, in order: the
        credit areas' lines, then the body's paragraphs, read only when the credit areas do not have
        the label and the body's text has the word at all."""
        yield from self.credit_lines
        if self.body_has(label):
            yield from self.body_lines

    def body_has(self, word: str) -> bool:
        """Whether the body container's text (zero-width characters dropped) has ``word``, in any
        case: a label in a line of the body is in there too."""
        text, lowered = self._body_text
        return word in lowered if lowered is not None else _word(word).search(text) is not None

    @cached_property
    def _body_text(self) -> tuple[str, str | None]:
        """The body container's text, and lower-cased when it is ASCII (then a plain substring test
        is the regex's case-insensitive search, and far cheaper)."""
        if self.body_container is None:
            return "", ""
        text = without_zero_width(text_of(self.body_container))
        return text, text.lower() if text.isascii() else None

    @cached_property
    def body_container(self) -> etree._Element | None:
        """The article area: the first of the templates' body containers the page has."""
        return next((found for query in BODY_CONTAINERS if (found := self.first(query)) is not None), None)


@cache
def _word(word: str) -> re.Pattern:
    return re.compile(re.escape(word), re.IGNORECASE)


def _parent_tag(element: etree._Element) -> str | None:
    parent = element.getparent()
    return parent.tag if parent is not None else None


# A JSON string escape of half a UTF-16 pair (``"\ud83d"``, left when a script cut a headline inside
# an emoji): JSON decodes it to a lone surrogate, which no UTF-8 file or SQLite text can hold.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value: object) -> object:
    """``value`` with each lone surrogate in its strings replaced by U+FFFD, as an HTML parser
    replaces a character reference to one."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_lone_surrogates(item) for key, item in value.items()}
    return value


def _json_ld_objects(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for element in data:
            yield from _json_ld_objects(element)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _json_ld_objects(data["@graph"])
