"""Reading pages: one short function per field over a ``Page``, shared by the template generations.

Every field is read in layers, most structured first, and the first layer that gives a usable value
wins: JSON-LD, then meta tags and the ``dataLayer``, then the selectors known on Disway templates,
then text patterns. Where a structured source is known to be wrong on news sites (a truncated
JSON-LD headline, an og:image that is the site logo, a JSON-LD author that is the publisher) it is
rejected and the next layer is tried. A field that no layer finds is None: never guessed.

Nothing here is specific to one paper of the network: site names and watermarks are read from the
page or matched as any domain.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from belitong_crawler.boilerplate import (
    RELATED_HEADING,
    RELATED_INLINE,
    RELATED_LABEL,
    SITE_DOMAIN,
    collapse_space,
)
from belitong_crawler.page import Css, Page, compiled, first, select, text_of, without_zero_width
from belitong_crawler.page import node_text as _text
from belitong_crawler.urls import (
    article_request_url,
    canonical_article_url,
    category_slug,
    host_of,
    on_origin,
    without_fragment,
)

# A headline's trailing site name when the page does not name itself: "... - Disway Jogja", "... | x.com".
SITE_SUFFIX = re.compile(rf"\s+[-|–—]\s*(?:disway\b[\w .]*|{SITE_DOMAIN})\s*$", re.IGNORECASE)
# Names that are the publisher or the desk, not a reporter.
PUBLISHER = re.compile(rf"\b(?:disway|redaksi|admin)\b|https?:|^{SITE_DOMAIN}$", re.IGNORECASE)

HEADLINES = Css("div.col-md-8 h1, article h1, .post-title, h1")
TITLE = Css("title")
DATE_SELECTORS = tuple(
    map(
        Css,
        (
            "div.post-info span.date",
            ".post-info .date",
            ".post-date",
            ".date-post",
            "article time",
            ".post-info time",
        ),
    )
)
# The machine-readable date of a <time> in the article's header.
DATE_TIME = Css("article time[datetime], .post-info time[datetime]")
# Where a date is looked for in the text when no date element has one.
DATE_AREAS = Css(".post-info, .post-header, .post-meta, header.entry-header")
# Structured dates, in order: JSON-LD datePublished, then the meta tags sites use.
DATE_META = (
    "article:published_time",
    "og:published_time",
    "pubdate",
    "publishdate",
    "date",
    "datePublished",
    "dc.date",
)
CAPTION_SELECTORS = tuple(
    map(
        Css,
        (
            ".post-image .caption",
            ".post-image figcaption",
            ".post-image p",
            "figure.post-image figcaption",
            ".wp-caption-text",
        ),
    )
)
POST_IMAGES = Css(".post-image img, figure.post-image img")
CATEGORY_LABELS = Css(".post-category, .kategori")
BREADCRUMB_CATEGORIES = Css(".breadcrumb a[href*='/kategori/']")
# Elements inside an article area that are never article text.
JUNK_TAGS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "ins",
    "form",
    "button",
    "figure",
    "figcaption",
    "img",
    "svg",
    "video",
    "audio",
    "object",
    "embed",
    "template",
    "input",
    "select",
    "textarea",
)
_JUNK_TAG_SET = frozenset(JUNK_TAGS)
JUNK_CLASS = re.compile(
    r"(?:^|[\s_-])(?:ads?|ads\w+|adv|advert\w*|adsense\w*|iklan\w*|banner|share\w*|social\w*|sosmed|"
    r"comments?|komentar|pagination|pager|caption|post-tags?|tags?|post-category|breadcrumb|"
    r"related\w*|terkait)(?:$|[\s_-])|div-gpt-ad",
    re.IGNORECASE,
)
BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "aside",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "tr",
    "td",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "header",
    "footer",
    "dl",
    "dt",
    "dd",
    "center",
}
LAZY_SOURCES = ("data-src", "data-original", "data-lazy-src")
LOGO_IMAGE = re.compile(r"logo|default|placeholder|no[-_]?image|blank\.", re.IGNORECASE)
LABEL_VALUE = r"{label}\s*:\s*(?P<value>[^\n|:]+?)\s*(?=$|\n|\||(?:reporter|editor|penulis|sumber)\s*:)"
_CATEGORY_LINE = re.compile(r"(?i)^\s*kategori\s*:\s*(?P<name>.+)$")
_LABELS = {
    label: re.compile(LABEL_VALUE.format(label=label), re.IGNORECASE)
    for label in ("reporter", "penulis", "editor", "redaktur")
}


@dataclass
class ArticlePage:
    """What one article page gives; a multi-page article merges several."""

    title: str | None = None
    date_text: str | None = None
    date_structured: str | None = None
    reporter: str | None = None
    editor: str | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    image_url: str | None = None
    image_caption: str | None = None
    related_urls: list[str] = field(default_factory=list)
    next_page_url: str | None = None
    canonical_url: str | None = None
    generation: str = "unknown"


@dataclass
class ListingEntry:
    """One article link of a category listing, with the date the listing shows for it."""

    url: str
    date_text: str | None


# --- small readers ----------------------------------------------------------------------------


def _ld_text(value: object) -> str | None:
    """A JSON-LD value as text: strings as they are, ``{"name": ...}`` by its name."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("url") or value.get("@id")
    if isinstance(value, (str, int, float)):
        text = collapse_space(str(value))
        return text or None
    return None


def _on_site(urls: Iterable[str | None], page: Page) -> list[str]:
    """This site's article URLs among ``urls``, in the item form on the page's origin, in order, no
    repeats."""
    found = (canonical_article_url(u, page.base_url) for u in urls if u)
    return unique(filter(None, (on_origin(u, page.url) for u in found if u)))


def unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)


# --- fields -----------------------------------------------------------------------------------


def extract_title(page: Page) -> str | None:
    """The headline: JSON-LD, og:title, the page's h1, then <title>, site-name suffixes removed.

    A headline that ends in an ellipsis (JSON-LD headlines are often cut at 110 characters) loses to a
    later layer that continues it.
    """
    titles = (
        t
        for t in (_without_site_name(c, page) for c in _title_layers(page) if c)
        if t and t.lower() not in page.site_names and not re.fullmatch(SITE_DOMAIN, t)
    )
    for title in titles:
        stem = title.rstrip(" .…")
        if stem != title:  # truncated: prefer a later layer that goes on from here
            longer = next((t for t in titles if t.startswith(stem) and len(t) > len(stem)), None)
            if longer:
                return longer
        return title
    return None


def _title_layers(page: Page) -> Iterator[str | None]:
    """The headline by each layer, in order, each read only when the ones before do not do."""
    yield _ld_text(page.json_ld.get("headline"))
    yield page.meta_content("og:title", "twitter:title")
    yield next((t for t in map(_text, page.select(HEADLINES)) if t), None)
    title_tag = page.first(TITLE)
    yield _text(title_tag) if title_tag is not None else None


def _without_site_name(title: str, page: Page) -> str:
    for name in page.site_names:
        lowered = title.lower()
        for separator in (" - ", " | ", " – ", " — "):
            if lowered.endswith(separator + name):
                return title[: -len(separator + name)].strip()
    return SITE_SUFFIX.sub("", title).strip()


def extract_date(page: Page) -> tuple[str | None, str | None]:
    """(visible date text, structured date): what the page shows, and its JSON-LD/meta/dataLayer date.

    The visible text carries the time zone the newsroom states (WIB/WITA/WIT), so it is what
    ``published_at`` is read from first; the structured value is the fallback.
    """
    structured = (
        _ld_text(page.json_ld.get("datePublished"))
        or page.meta_content(*DATE_META)
        or _time_datetime(page)
        or page.data_layer.get("published_date")
    )
    visible = None
    for query in DATE_SELECTORS:
        node = page.first(query)
        if node is not None:
            visible = _text(node) or None
            if visible:
                break
    if visible is None:
        visible = _date_in_text(page)
    return visible, (collapse_space(structured) or None) if structured else None


def _time_datetime(page: Page) -> str | None:
    time_tag = page.first(DATE_TIME)
    return time_tag.get("datetime") if time_tag is not None else None


_DATE_PATTERN = re.compile(
    r"(?:(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu),?\s+)?\d{1,2}[\s/.-]+"
    r"(?:\d{1,2}|[a-z]{3,9})[\s/.-]+\d{4}(?:\s*[-|,]?\s*(?:pukul\s*)?\d{1,2}[:.]\d{2}(?:\s*(?:WIB|WITA|WIT))?)?",
    re.IGNORECASE,
)


def _date_in_text(page: Page) -> str | None:
    """Text-pattern layer: a date in the article header area, by regex."""
    for area in page.select(DATE_AREAS):
        match = _DATE_PATTERN.search(_text(area))
        if match:
            return match.group(0)
    return None


def _labelled(page: Page, label: str) -> str | None:
    """Text-pattern layer: the value after ``label :`` (``Reporter : Dodi Pratama``)."""
    pattern = _LABELS[label]
    for text in page.labelled_lines(label):
        match = pattern.search(text)
        if match:
            value = match["value"].strip(" -–—/,")
            if value:
                return value
    return None


def _not_publisher(name: str | None, page: Page) -> str | None:
    if name and not PUBLISHER.search(name) and name.lower() not in page.site_names:
        return name
    return None


def extract_reporter(page: Page) -> str | None:
    """``Reporter :`` as printed; then a JSON-LD Person author; then the dataLayer's ``penulis``; then
    ``<meta name=author>``.

    The printed label comes first here: a JSON-LD ``author`` on Disway pages may name the
    uploader or the publisher rather than the reporter.
    """
    printed = _labelled(page, "reporter") or _labelled(page, "penulis")
    if printed:
        return printed
    authors = page.json_ld.get("author")
    for author in authors if isinstance(authors, list) else [authors]:
        if isinstance(author, dict) and author.get("@type", "Person") == "Person":
            name = _not_publisher(_ld_text(author), page)
            if name:
                return name
    return _not_publisher(page.data_layer.get("penulis"), page) or _not_publisher(
        page.meta_content("author", "article:author"), page
    )


def extract_editor(page: Page) -> str | None:
    """``Editor :`` as printed, then JSON-LD ``editor``, then the dataLayer's ``editor``."""
    return (
        _labelled(page, "editor")
        or _labelled(page, "redaktur")
        or _ld_text(page.json_ld.get("editor"))
        or page.data_layer.get("editor")
    )


def extract_category(page: Page) -> str | None:
    """The category the article page shows: JSON-LD articleSection, article:section, the dataLayer's
    ``rubrik``, the ``Kategori :`` line, then the breadcrumb. Never the navigation: every page has all
    of those."""
    section = (
        _ld_text(page.json_ld.get("articleSection"))
        or page.meta_content("article:section")
        or page.data_layer.get("rubrik")
    )
    if section:
        return section
    for node in page.select(CATEGORY_LABELS):
        link = first(node, "a[href*='/kategori/']")
        name = _text(link) if link is not None else re.sub(r"(?i)^\s*kategori\s*:?\s*", "", _text(node))
        if name:
            return name
    for text in page.labelled_lines("kategori"):
        match = _CATEGORY_LINE.match(text)
        if match:
            return match["name"].strip()
    crumbs = page.select(BREADCRUMB_CATEGORIES)
    return _text(crumbs[-1]) or None if crumbs else None


def extract_tags(page: Page) -> list[str]:
    """Tag names without ``#``, in page order: the page's ``/listtag/`` links, then JSON-LD
    keywords, the dataLayer's ``tag``, then ``article:tag`` metas. The visible tag list wins because
    ``keywords`` on news sites often mixes in generic site words."""
    links = [a for a in page.tagged("a") if "/listtag/" in a.get("href", "")]
    if links:
        beside = set(_beside_article(page))
        links = [a for a in links if not any(area in beside for area in a.iterancestors())]
    names = [_text(a) for a in links]
    if not any(names):
        keywords = page.json_ld.get("keywords") or page.data_layer.get("tag")
        if isinstance(keywords, str):
            names = keywords.split(",")
        elif isinstance(keywords, list):
            names = [str(k) for k in keywords]
    if not any(names):
        names = compiled("//meta[@property='article:tag']/@content", css=False)(page.root)
    return unique(collapse_space(name).lstrip("#").strip() for name in names)


def _beside_article(page: Page) -> Iterator[etree._Element]:
    """Footers, navigation, asides, sidebars and widgets: what holds the site's tag links, not the
    article's (``footer``, ``nav``, ``aside``, ``contains(@class, 'sidebar')``, ``...'widget'``)."""
    for tag in ("footer", "nav", "aside"):
        yield from page.tagged(tag)
    for name, elements in page.by_class.items():
        if "sidebar" in name or "widget" in name:  # no class name holds a space
            yield from elements


def extract_image(
    page: Page, caption_selectors: tuple[Css, ...] = CAPTION_SELECTORS
) -> tuple[str | None, str | None]:
    """(main image URL, its caption). JSON-LD image, og:image, then the article's own picture;
    a logo or placeholder is no article image."""
    image = page.json_ld.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    caption = None
    if isinstance(image, dict):
        caption = _ld_text(image.get("caption"))
        image = image.get("url") or image.get("contentUrl")
    container = page.body_container
    candidates = _image_layers(page, image if isinstance(image, str) else None)
    url = next((u for u in (_image_url(c, page) for c in candidates) if u), None)
    if url is None:
        return None, None
    if caption is None:
        shown = (_text(node) for query in caption_selectors for node in page.select(query))
        caption = next((t for t in shown if t), None)
    if caption is None and container is not None:
        caption = next((t for t in map(_text, select(container, "figure figcaption")) if t), None)
    return url, caption


def _image_layers(page: Page, structured: str | None) -> Iterator[str | None]:
    """The image by each layer, in order, each read only when the ones before give no usable URL."""
    yield structured
    yield page.meta_content("og:image", "og:image:url", "twitter:image")
    for img in page.select(POST_IMAGES):
        yield _image_source(img)
    if page.body_container is not None:
        for img in select(page.body_container, "img"):
            yield _image_source(img)


def _image_source(img: etree._Element) -> str | None:
    """The real picture of an ``<img>``: lazy-loading pages keep it in ``data-src`` and the like."""
    lazy = next((value for name, value in img.attrib.items() if name in LAZY_SOURCES), None)
    return lazy or img.get("src")


def _image_url(candidate: str | None, page: Page) -> str | None:
    """An absolute http(s) image URL that is no logo or placeholder, or None."""
    if not candidate or not candidate.strip():
        return None
    url = page.urljoin(candidate)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or LOGO_IMAGE.search(parts.path):
        return None
    return url


# --- body and related links -------------------------------------------------------------------


def extract_body(
    page: Page, furniture: Callable[[etree._Element], list[etree._Element]] | None = None
) -> tuple[list[str], list[str]]:
    """(paragraphs, related article URLs) of the article area of one page.

    ``furniture`` selects what a template generation puts inside the body's container that is not
    the article (its headline, date, credits, picture); it is removed first. Ads, scripts, share
    buttons, captions, pagination and related blocks are removed as elements; BACA JUGA paragraphs
    in any markup are taken out and their links kept as related URLs. The remaining text-level
    boilerplate (credit lines, promotions) is left to the cleaning pipeline. Falls back to JSON-LD
    ``articleBody`` when no known container is on the page.
    """
    container = page.body_container
    if container is None:
        text = page.json_ld.get("articleBody")
        if isinstance(text, str):
            return [p for p in (collapse_space(line) for line in text.splitlines()) if p], []
        return [], []
    root = copy.deepcopy(container)
    if furniture is not None:
        for element in furniture(root):
            if element is not root and element.getparent() is not None:
                _remove_keep_tail(element)
    _drop_junk(root)
    paragraphs: list[str] = []
    related: list[str] = []
    pending_label = False  # a BACA JUGA label whose link sits in the next paragraph(s)
    for text, links in _blocks(root):
        if RELATED_LABEL.match(text):
            related.extend(href for href, _ in links)
            pending_label = not links
            continue
        if pending_label and links and _only_links(text, links):
            related.extend(href for href, _ in links)  # and the label may have more links below
            continue
        pending_label = False
        inline = RELATED_INLINE.search(text)  # "... kalimat. BACA JUGA: <a>Judul</a>"
        if inline:
            tail = text[inline.end() :]
            tail_links = [link for link in links if link[1] and link[1] in tail]
            if tail_links and _only_links(tail, tail_links):
                related.extend(href for href, _ in tail_links)
                text = text[: inline.start()].rstrip()
        if text:
            paragraphs.append(text)
    return paragraphs, _on_site(related, page)


def _only_links(text: str, links: list[tuple[str, str]]) -> bool:
    """Whether ``text`` is nothing but the text of ``links`` (and punctuation)."""
    for _, link_text in links:
        text = text.replace(link_text, " ", 1)
    return not re.search(r"\w", text)


def _leading_text(element: etree._Element) -> str:
    """The text a block opens with before any block inside it: its own text, else its first inline
    child's. Enough to tell a BACA JUGA label without reading the whole (maybe deep) block."""
    if (element.text or "").strip():
        return element.text
    first = next((child for child in element if isinstance(child.tag, str)), None)
    if first is None or first.tag.lower() in BLOCK_TAGS:
        return ""
    return text_of(first)


_RELATED_MARK = re.compile(r"baca[-_]?juga", re.I)


def _is_related_list(element: etree._Element) -> bool:
    """A BACA JUGA label (or a ``baca-juga`` class) followed by nothing but links: one block."""
    marked = _RELATED_MARK.search(f"{element.get('class', '')} {element.get('id', '')}")
    if not marked and not RELATED_LABEL.match(_leading_text(element)):
        return False  # the common case, decided without reading the whole block
    links = _links(element)
    if not links:
        return False
    text = collapse_space(" ".join(element.itertext()))
    label = RELATED_LABEL.match(text)
    if label:
        return _only_links(text[label.end() :], links)
    return bool(marked) and _only_links(text, links)


def _links(element: etree._Element) -> list[tuple[str, str]]:
    return [(a.get("href", ""), collapse_space(text_of(a))) for a in element.iter("a")]


def _drop_junk(root: etree._Element) -> None:
    related = _related_sections(root, _headings(root))
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # comments and processing instructions
            if element.getparent() is not None:
                _remove_keep_tail(element)
            continue
        if element is root:
            continue
        junk = element.tag.lower() in _JUNK_TAG_SET or element in related
        if not junk and ("class" in element.attrib or "id" in element.attrib):
            junk = JUNK_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}") is not None
        if junk and element.getparent() is not None:
            _remove_keep_tail(element)


def _headings(root: etree._Element) -> list[etree._Element]:
    """Where a related-article block's heading can stand, under ``root``: an h2-h5 or a "title"
    (``.//*[self::h2 or ... or contains(@class, 'title')]``), opening the block itself or alone in a
    wrapper that opens it (see _related_section_links). A walk in Python: libxml2's XPath costs more
    per element."""
    return [
        element
        for element in root.iterdescendants()
        if isinstance(element.tag, str)
        and (element.tag in ("h2", "h3", "h4", "h5") or "title" in element.get("class", ""))
    ]


def _page_headings(page: Page) -> Iterator[etree._Element]:
    """What ``_headings`` finds under the page's root, from the page's index (in no set order)."""
    for tag in ("h2", "h3", "h4", "h5"):
        yield from page.tagged(tag)
    for name, elements in page.by_class.items():
        if "title" in name:  # contains(@class, 'title'): no class name holds a space
            yield from elements


def _related_sections(
    root: etree._Element, headings: Iterable[etree._Element]
) -> dict[etree._Element, list[tuple[str, str]]]:
    """The related-article blocks under ``root`` that open with one of ``headings`` (found under
    ``root``), in document order, each with its links: found from their headings, so that only a
    handful of candidates is looked at, not every block of the page."""
    candidates: dict[etree._Element, None] = {}
    for heading in headings:
        if heading is root:
            continue
        if RELATED_HEADING.search(text_of(heading)):
            parent = heading.getparent()
            for candidate in (parent, parent.getparent() if parent is not None else None):
                if candidate is not None and candidate is not root.getparent():
                    candidates.setdefault(candidate, None)
    found = {
        c: links
        for c in candidates
        if c.tag in ("div", "section", "aside") and (links := _related_section_links(c)) is not None
    }
    if len(found) <= 1:
        return found
    order = {element: index for index, element in enumerate(root.iter("div", "section", "aside"))}
    return {element: found[element] for element in sorted(found, key=order.__getitem__)}


def _related_section_links(element: etree._Element) -> list[tuple[str, str]] | None:
    """The links of a block that opens with a "Berita Terkait" (or kin) heading and holds nothing
    else; None for any other block."""
    if not isinstance(element.tag, str) or element.tag.lower() not in ("div", "section", "aside"):
        return None
    first = next((child for child in element if isinstance(child.tag, str)), None)
    if first is None or (element.text or "").strip():
        return None
    is_heading = first.tag.lower() in ("h2", "h3", "h4", "h5") or "title" in (first.get("class") or "")
    if not is_heading:  # the heading wrapped alone: <div class="label-to"><h2>Berita Terkait</h2></div>
        inner = [child for child in first if isinstance(child.tag, str)]
        is_heading = len(inner) == 1 and inner[0].tag.lower() in ("h2", "h3", "h4", "h5")
    if not is_heading:
        return None
    heading = text_of(first)
    if not RELATED_HEADING.search(heading):
        return None
    rest = " ".join(element.itertext()).replace(heading, " ", 1)
    links = _links(element)
    return links if _only_links(rest, links) else None  # a list of links, not a section of the article


def _remove_keep_tail(element: etree._Element) -> None:
    parent = element.getparent()
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


# A paragraph's text, and its links as (href, link text).
Paragraph = tuple[str, list[tuple[str, str]]]


def _blocks(root: etree._Element) -> Iterator[Paragraph]:
    """(text, [(href, link text)]) for each paragraph-like block, in document order.

    Block elements nest; loose text and inline elements between blocks form a paragraph of their own;
    ``<br>``, wherever it is nested, ends a paragraph; inline elements join without a space (a word
    the markup splits across ``<span>``s stays whole). A BACA JUGA label with its list of links stays
    one block. Iterative: a page nested a thousand levels deep is read like any other.
    """
    line: list[str] = []
    links: list[tuple[str, str]] = []

    def take() -> Paragraph | None:
        """The paragraph gathered so far (None when it has no text); the next one starts empty."""
        text = without_zero_width(collapse_space("".join(line)))
        paragraph = (text, list(links)) if text else None
        line.clear()
        links.clear()
        return paragraph

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        block = tag in BLOCK_TAGS or element is root
        if event == "start":
            if block:
                if (paragraph := take()) is not None:
                    yield paragraph
                if _is_related_list(element):
                    yield without_zero_width(collapse_space(" ".join(element.itertext()))), _links(element)
                    walker.skip_subtree()  # its "end" event still comes, and adds its tail
                    continue
            elif tag == "br":
                if (paragraph := take()) is not None:
                    yield paragraph
            elif tag == "a":
                links.append((element.get("href", ""), collapse_space(text_of(element))))
            line.append(element.text or "")
        else:
            if block and (paragraph := take()) is not None:
                yield paragraph
            if element is not root:
                line.append(element.tail or "")
    if (paragraph := take()) is not None:
        yield paragraph


def extract_related_blocks(page: Page) -> list[str]:
    """Links of related-article blocks ("Berita Terkait", "Artikel Terkait") anywhere on the page:
    a container that opens with such a heading."""
    blocks = _related_sections(page.root, _page_headings(page))
    hrefs = [href for links in blocks.values() for href, _ in links]
    return _on_site(hrefs, page)


# --- pagination and discovery -----------------------------------------------------------------


PAGINATION = Css("ul.pagination")


def extract_next_page(page: Page) -> str | None:
    """The link to the next page that the page's own pagination gives (``rel=next``, else the link
    numbered one past the active page). Page URLs are never computed."""
    nav = page.first(PAGINATION)
    if nav is None:
        return None
    link = first(nav, "a[rel~='next']")
    href = link.get("href") if link is not None else None
    if not href:
        shown = (" ".join(li.itertext()) for li in select(nav, "li.active"))
        active = next((m[0] for text in shown if (m := re.search(r"\d+", text))), None)
        if active:
            number = str(int(active) + 1)
            found = compiled(".//a[@data-ci-pagination-page=$n]/@href", css=False)(nav, n=number) or compiled(
                ".//a[normalize-space(.)=$n]/@href", css=False
            )(nav, n=number)
            href = found[0] if found else None
    if not href:
        return None
    url = without_fragment(page.urljoin(href))
    return None if url == without_fragment(page.url) else url


LISTING_ENTRIES = Css("div.media-content, div.media-body")


def extract_listing(page: Page) -> list[ListingEntry]:
    """Article links of a category listing page, with the date each entry shows: the network's
    media-list markups (``div.media-content``/``div.media-body`` with an ``h2``/``h3`` heading link,
    category-prefixed or short). Sidebar widgets (``h4.media-heading``) are not listing entries."""
    entries: list[ListingEntry] = []
    for media in page.select(LISTING_ENTRIES):
        anchor = first(media, "h2.media-heading a[href], h3.media-heading a[href]")
        link = anchor.get("href") if anchor is not None else None
        found = article_request_url(link, page.base_url) if link else None
        url = on_origin(found, page.url) if found else None
        if url:
            date = first(media, "span.date, p.date")
            entries.append(ListingEntry(url, _text(date) if date is not None else None))
    return entries


NAVIGATION_LINKS = Css("nav a[href], ul.nav a[href], .navbar a[href], header a[href]")
LINKS = Css("a[href]")


def extract_categories(page: Page) -> list[tuple[str, str]]:
    """(slug, listing URL) of the category listings linked from the site navigation, in order:
    ``/kategori/<slug>`` and ``/kategori/<id>/<slug>`` links."""
    links = [a.get("href") for a in page.select(NAVIGATION_LINKS)]
    if not links:
        links = [a.get("href") for a in page.select(LINKS)]
    found: dict[str, str] = {}
    host = host_of(page.url)
    for href in links:
        url = without_fragment(page.urljoin(href))
        slug = category_slug(url)
        if slug and host_of(url) == host:
            found.setdefault(slug, url)
    return list(found.items())
