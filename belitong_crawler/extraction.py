"""Reading an article or listing page: plain functions over a parsel ``Selector``.

Every field is read in layers, most structured first, and the first layer that gives a usable value
wins: JSON-LD, then meta tags, then the selectors known on Disway templates, then text patterns.
Where a structured source is known to be wrong on news sites (a truncated JSON-LD headline, an
og:image that is the site logo, a JSON-LD author that is the publisher) it is rejected and the next
layer is tried. A field that no layer finds is None: never guessed.

Each function takes the page's ``Selector`` (and, to save parsing it again, the page's JSON-LD
article object); ``extract_article`` runs them all for one page.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector

from belitong_crawler.boilerplate import RELATED_HEADING, RELATED_INLINE, RELATED_LABEL, collapse_space
from belitong_crawler.urls import canonical_article_url, category_slug, host_of, without_fragment

SITE_NAME = re.compile(r"\s*[-|–—]\s*(?:belitong\s*ekspres(?:\.com)?|disway(?:\.id)?)\s*$", re.IGNORECASE)
PUBLISHER = re.compile(r"belitong\s*ekspres|disway|redaksi|admin|https?:", re.IGNORECASE)
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
DATE_SELECTORS = (
    "div.post-info span.date",
    ".post-info .date",
    ".post-date",
    ".date-post",
    "article time",
    ".post-info time",
)
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
CREDIT_AREAS = (".post-info", ".post-author", ".author", ".byline", ".post-meta")
CAPTION_SELECTORS = (
    ".post-image .caption",
    ".post-image figcaption",
    ".post-image p",
    "figure.post-image figcaption",
    ".wp-caption-text",
)
# Elements inside an article area that are never article text.
JUNK_TAGS = ("script", "style", "noscript", "iframe", "ins", "form", "button", "figure", "figcaption", "img",
             "svg", "video", "audio", "object", "embed", "template", "input", "select", "textarea")
JUNK_CLASS = re.compile(
    r"(?:^|[\s_-])(?:ads?|ads\w+|adv|advert\w*|adsense\w*|iklan\w*|banner|share\w*|social\w*|sosmed|"
    r"comments?|komentar|pagination|pager|caption|post-tags?|tags?|post-category|breadcrumb|"
    r"related\w*|terkait)(?:$|[\s_-])|div-gpt-ad",
    re.IGNORECASE,
)
BLOCK_TAGS = {"p", "div", "section", "article", "aside", "blockquote", "ul", "ol", "li", "table", "tr", "td",
              "h1", "h2", "h3", "h4", "h5", "h6", "pre", "header", "footer", "dl", "dt", "dd", "center"}
LOGO_IMAGE = re.compile(r"logo|default|placeholder|no[-_]?image|blank\.", re.IGNORECASE)
LABEL_VALUE = r"{label}\s*:\s*(?P<value>[^\n|:]+?)\s*(?=$|\n|\||(?:reporter|editor|penulis|sumber)\s*:)"
ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff]")


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


@dataclass
class ListingEntry:
    """One article link of a category listing, with the date the listing shows for it."""

    url: str
    date_text: str | None


# --- JSON-LD and meta -------------------------------------------------------------------------


def extract_json_ld(sel: Selector) -> dict:
    """The page's JSON-LD article object (NewsArticle and kin), or {} when there is none.

    Broken JSON, ``@graph`` wrappers and lists are common; none of them stops the other layers.
    """
    for raw in sel.xpath("//script[@type='application/ld+json']/text()").getall():
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


def _json_ld_objects(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for element in data:
            yield from _json_ld_objects(element)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _json_ld_objects(data["@graph"])


def meta_content(sel: Selector, *names: str) -> str | None:
    """The first non-empty ``<meta property|name|itemprop=...>`` content among ``names``."""
    for name in names:
        for value in sel.xpath(
            "//meta[@property=$n or @name=$n or @itemprop=$n]/@content", n=name
        ).getall():
            value = collapse_space(value)
            if value:
                return value
    return None


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


def _text(node: Selector) -> str:
    return ZERO_WIDTH.sub("", collapse_space(" ".join(node.xpath(".//text()").getall())))


# --- fields -----------------------------------------------------------------------------------


def extract_title(sel: Selector, ld: dict | None = None) -> str | None:
    """The headline: JSON-LD, og:title, the page's h1, then <title>, site-name suffixes removed.

    A headline that ends in an ellipsis (JSON-LD headlines are often cut at 110 characters) loses to a
    later layer that continues it.
    """
    ld = extract_json_ld(sel) if ld is None else ld
    candidates = [
        _ld_text(ld.get("headline")) if ld else None,
        meta_content(sel, "og:title", "twitter:title"),
        next((t for t in map(_text, sel.css("div.col-md-8 h1, article h1, .post-title, h1")) if t), None),
        _text(sel.xpath("//title")[0]) if sel.xpath("//title") else None,
    ]
    titles = [SITE_NAME.sub("", c).strip() for c in candidates if c]
    titles = [t for t in titles if t and not re.fullmatch(r"(?i)belitong\s*ekspres(\.com)?", t)]
    for index, title in enumerate(titles):
        stem = title.rstrip(" .…")
        if stem != title:  # truncated: prefer a later layer that goes on from here
            longer = next((t for t in titles[index + 1:] if t.startswith(stem) and len(t) > len(stem)), None)
            if longer:
                return longer
        return title
    return None


def extract_date(sel: Selector, ld: dict | None = None) -> tuple[str | None, str | None]:
    """(visible date text, structured date): what the page shows, and its JSON-LD/meta date.

    The visible text carries the time zone the newsroom states (WIB/WITA/WIT), so it is what
    ``published_at`` is read from first; the structured value is the fallback.
    """
    ld = extract_json_ld(sel) if ld is None else ld
    structured = (_ld_text(ld.get("datePublished")) if ld else None) or meta_content(sel, *DATE_META)
    if not structured:
        structured = sel.css("article time::attr(datetime), .post-info time::attr(datetime)").get()
    visible = None
    for css in DATE_SELECTORS:
        node = sel.css(css)
        if node:
            visible = _text(node[0]) or None
            if visible:
                break
    if visible is None:
        visible = _date_in_text(sel)
    return visible, (collapse_space(structured) or None) if structured else None


_DATE_PATTERN = re.compile(
    r"(?:(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu),?\s+)?\d{1,2}[\s/.-]+"
    r"(?:\d{1,2}|[a-z]{3,9})[\s/.-]+\d{4}(?:\s*[-|,]?\s*(?:pukul\s*)?\d{1,2}[:.]\d{2}(?:\s*(?:WIB|WITA|WIT))?)?",
    re.IGNORECASE,
)


def _date_in_text(sel: Selector) -> str | None:
    """Text-pattern layer: a date in the article header area, by regex."""
    for area in sel.css(".post-info, .post-header, .post-meta, header.entry-header"):
        match = _DATE_PATTERN.search(_text(area))
        if match:
            return match.group(0)
    return None


def _credit_texts(sel: Selector) -> Iterator[str]:
    """Lines of the areas where Disway pages print ``Reporter :`` and ``Editor :``, then the body's."""
    for css in CREDIT_AREAS:
        for node in sel.css(css):
            for child in node.xpath("./*") or [node]:
                yield _text(child)
            yield _text(node)
    for container in _body_containers(sel):  # paragraphs, not the wrappers around them
        for node in container.xpath(".//p|.//div[not(.//p or .//div)]"):
            yield _text(node)


def credit_lines(sel: Selector) -> list[str]:
    """The texts ``Reporter :``, ``Editor :`` and ``Kategori :`` are looked for in, read once a page."""
    return list(dict.fromkeys(_credit_texts(sel)))


def _labelled(lines: list[str], label: str) -> str | None:
    """Text-pattern layer: the value after ``label :`` (``Reporter : Dodi Pratama``)."""
    pattern = re.compile(LABEL_VALUE.format(label=label), re.IGNORECASE)
    for text in lines:
        match = pattern.search(text)
        if match:
            value = match["value"].strip(" -–—/,")
            if value:
                return value
    return None


def extract_reporter(sel: Selector, ld: dict | None = None, lines: list[str] | None = None) -> str | None:
    """``Reporter :`` as printed; then a JSON-LD Person author; then ``<meta name=author>``.

    The printed label comes first here: a JSON-LD ``author`` on Disway pages may name the
    uploader or the publisher rather than the reporter.
    """
    lines = credit_lines(sel) if lines is None else lines
    printed = _labelled(lines, "reporter") or _labelled(lines, "penulis")
    if printed:
        return printed
    ld = extract_json_ld(sel) if ld is None else ld
    authors = ld.get("author") if ld else None
    for author in authors if isinstance(authors, list) else [authors]:
        if isinstance(author, dict) and author.get("@type", "Person") == "Person":
            name = _ld_text(author)
            if name and not PUBLISHER.search(name):
                return name
    name = meta_content(sel, "author", "article:author")
    if name and not PUBLISHER.search(name):
        return name
    return None


def extract_editor(sel: Selector, ld: dict | None = None, lines: list[str] | None = None) -> str | None:
    """``Editor :`` as printed, then JSON-LD ``editor``."""
    lines = credit_lines(sel) if lines is None else lines
    printed = _labelled(lines, "editor") or _labelled(lines, "redaktur")
    if printed:
        return printed
    ld = extract_json_ld(sel) if ld is None else ld
    return _ld_text(ld.get("editor")) if ld else None


def extract_category(sel: Selector, ld: dict | None = None, lines: list[str] | None = None) -> str | None:
    """The category the article page shows: JSON-LD articleSection, article:section, the
    ``Kategori :`` line, then the breadcrumb. Never the navigation: every page has all of those."""
    ld = extract_json_ld(sel) if ld is None else ld
    section = _ld_text(ld.get("articleSection")) if ld else None
    if section:
        return section
    section = meta_content(sel, "article:section")
    if section:
        return section
    for node in sel.css(".post-category, .kategori"):
        link = node.css("a[href*='/kategori/']")
        name = _text(link[0]) if link else re.sub(r"(?i)^\s*kategori\s*:?\s*", "", _text(node))
        if name:
            return name
    for text in credit_lines(sel) if lines is None else lines:
        match = re.match(r"(?i)^\s*kategori\s*:\s*(?P<name>.+)$", text)
        if match:
            return match["name"].strip()
    crumbs = sel.css(".breadcrumb a[href*='/kategori/']")
    return _text(crumbs[-1]) or None if crumbs else None


def extract_tags(sel: Selector, ld: dict | None = None) -> list[str]:
    """Tag names without ``#``, in page order: the page's ``/listtag/`` links, then JSON-LD
    keywords, then ``article:tag`` metas. The visible tag list wins because ``keywords`` on news
    sites often mixes in generic site words."""
    names = [_text(a) for a in sel.xpath(
        "//a[contains(@href, '/listtag/')][not(ancestor::footer or ancestor::nav or ancestor::aside"
        " or ancestor::*[contains(@class, 'sidebar') or contains(@class, 'widget')])]"
    )]
    if not any(names):
        ld = extract_json_ld(sel) if ld is None else ld
        keywords = ld.get("keywords") if ld else None
        if isinstance(keywords, str):
            names = keywords.split(",")
        elif isinstance(keywords, list):
            names = [str(k) for k in keywords]
    if not any(names):
        names = sel.xpath("//meta[@property='article:tag']/@content").getall()
    return _unique(collapse_space(name).lstrip("#").strip() for name in names)


def extract_image(sel: Selector, base_url: str, ld: dict | None = None) -> tuple[str | None, str | None]:
    """(main image URL, its caption). JSON-LD image, og:image, then the article's own picture;
    a logo or placeholder is no article image."""
    ld = extract_json_ld(sel) if ld is None else ld
    image = ld.get("image") if ld else None
    if isinstance(image, list):
        image = image[0] if image else None
    caption = None
    if isinstance(image, dict):
        caption = _ld_text(image.get("caption"))
        image = image.get("url") or image.get("contentUrl")
    candidates = [
        image if isinstance(image, str) else None,
        meta_content(sel, "og:image", "og:image:url", "twitter:image"),
        *(_image_source(img) for img in sel.css(".post-image img, figure.post-image img")),
        *(_image_source(img) for c in _body_containers(sel) for img in c.css("img")),
    ]
    url = next((u for u in (_image_url(c, base_url) for c in candidates) if u), None)
    if url is None:
        return None, None
    if caption is None:
        caption = next((t for css in CAPTION_SELECTORS for t in map(_text, sel.css(css)) if t), None)
    if caption is None:
        for container in _body_containers(sel):
            caption = next((t for t in map(_text, container.css("figure figcaption")) if t), None)
            if caption:
                break
    return url, caption


def _image_source(img: Selector) -> str | None:
    """The real picture of an ``<img>``: lazy-loading pages keep it in ``data-src`` and the like."""
    return img.xpath("@data-src|@data-original|@data-lazy-src").get() or img.xpath("@src").get()


def _image_url(candidate: str | None, base_url: str) -> str | None:
    """An absolute http(s) image URL that is no logo or placeholder, or None."""
    if not candidate or not candidate.strip():
        return None
    url = urljoin(base_url, candidate.strip())
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or LOGO_IMAGE.search(parts.path):
        return None
    return url


# --- body and related links -------------------------------------------------------------------


def _body_containers(sel: Selector) -> list[Selector]:
    for css in BODY_CONTAINERS:
        found = sel.css(css)
        if found:
            return [found[0]]
    return []


def extract_body(sel: Selector, base_url: str, ld: dict | None = None) -> tuple[list[str], list[str]]:
    """(paragraphs, related article URLs) of the article area of one page.

    Ads, scripts, share buttons, captions, pagination and related blocks are removed as elements;
    BACA JUGA paragraphs in any markup are taken out and their links kept as related URLs. The
    remaining text-level boilerplate (credit lines, promotions) is left to the cleaning pipeline.
    Falls back to JSON-LD ``articleBody`` when no known container is on the page.
    """
    containers = _body_containers(sel)
    if not containers:
        ld = extract_json_ld(sel) if ld is None else ld
        text = ld.get("articleBody") if ld else None
        if isinstance(text, str):
            return [p for p in (collapse_space(line) for line in text.splitlines()) if p], []
        return [], []
    root = copy.deepcopy(containers[0].root)
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
            tail = text[inline.end():]
            tail_links = [link for link in links if link[1] and link[1] in tail]
            if tail_links and _only_links(tail, tail_links):
                related.extend(href for href, _ in tail_links)
                text = text[: inline.start()].rstrip()
        if text:
            paragraphs.append(text)
    urls = (canonical_article_url(href, base_url) for href in related)
    return paragraphs, [u for u in urls if u and host_of(u) == host_of(base_url)]


def _only_links(text: str, links: list[tuple[str, str]]) -> bool:
    """Whether ``text`` is nothing but the text of ``links`` (and punctuation)."""
    for _, link_text in links:
        text = text.replace(link_text, " ", 1)
    return not re.search(r"\w", text)


def _is_related_list(element: etree._Element) -> bool:
    """A BACA JUGA label (or a ``baca-juga`` class) followed by nothing but links: one block."""
    links = _links(element)
    if not links:
        return False
    text = collapse_space(" ".join(element.itertext()))
    label = RELATED_LABEL.match(text)
    if label:
        return _only_links(text[label.end():], links)
    marked = re.search(r"baca[-_]?juga", f"{element.get('class', '')} {element.get('id', '')}", re.I)
    return bool(marked) and _only_links(text, links)


def _links(element: etree._Element) -> list[tuple[str, str]]:
    return [(a.get("href", ""), collapse_space("".join(a.itertext()))) for a in element.iter("a")]


def _drop_junk(root: etree._Element) -> None:
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # comments and processing instructions
            if element.getparent() is not None:
                _remove_keep_tail(element)
            continue
        if element is root:
            continue
        junk = element.tag.lower() in JUNK_TAGS or JUNK_CLASS.search(
            f"{element.get('class', '')} {element.get('id', '')}"
        ) or _is_related_section(element)
        if junk and element.getparent() is not None:
            _remove_keep_tail(element)


def _is_related_section(element: etree._Element) -> bool:
    """A block that opens with a "Berita Terkait" (or kin) heading."""
    if not isinstance(element.tag, str) or element.tag.lower() not in ("div", "section", "aside"):
        return False
    first = next((child for child in element if isinstance(child.tag, str)), None)
    if first is None or (element.text or "").strip():
        return False
    is_heading = first.tag.lower() in ("h2", "h3", "h4", "h5") or "title" in (first.get("class") or "")
    heading = "".join(first.itertext())
    if not (is_heading and RELATED_HEADING.search(heading)):
        return False
    rest = " ".join(element.itertext()).replace(heading, " ", 1)
    return _only_links(rest, _links(element))  # a list of links, not a section of the article


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


def _blocks(element: etree._Element) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(text, [(href, link text)]) for each paragraph-like block, in document order.

    Block elements nest; loose text and inline elements between blocks form a paragraph of their own;
    ``<br>`` ends a paragraph. A BACA JUGA label with its list of links stays one block.
    """
    if _is_related_list(element):
        yield ZERO_WIDTH.sub("", collapse_space(" ".join(element.itertext()))), _links(element)
        return
    line: list[str] = [element.text or ""]
    links: list[tuple[str, str]] = []

    def flush() -> Iterator[tuple[str, list[tuple[str, str]]]]:
        text = ZERO_WIDTH.sub("", collapse_space("".join(line)))
        if text:
            yield text, list(links)
        line.clear()
        links.clear()

    for child in element:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag in BLOCK_TAGS:
            yield from flush()
            yield from _blocks(child)
        elif tag == "br":
            yield from flush()
        else:
            line.append("".join(child.itertext()))
            links.extend(_links(child))
        line.append(child.tail or "")
    yield from flush()


def extract_related_blocks(sel: Selector, base_url: str) -> list[str]:
    """Links of related-article blocks ("Berita Terkait", "Artikel Terkait") anywhere on the page:
    a container that opens with such a heading."""
    urls: list[str] = []
    for block in sel.root.iter("div", "section", "aside"):
        if _is_related_section(block):
            for href, _ in _links(block):
                url = canonical_article_url(href, base_url)
                if url and host_of(url) == host_of(base_url):
                    urls.append(url)
    return urls


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)


# --- pagination and discovery -----------------------------------------------------------------


def extract_next_page(sel: Selector, page_url: str) -> str | None:
    """The link to the next page that the page's own pagination gives (``rel=next``, else the link
    numbered one past the active page). Page URLs are never computed."""
    pagination = sel.css("ul.pagination")
    if not pagination:
        return None
    nav = pagination[0]
    href = nav.css("a[rel~='next']::attr(href)").get()
    if not href:
        active = nav.css("li.active ::text").re_first(r"\d+")
        if active:
            href = nav.xpath(".//a[@data-ci-pagination-page=$n]/@href", n=str(int(active) + 1)).get()
            if not href:
                href = nav.xpath(".//a[normalize-space(.)=$n]/@href", n=str(int(active) + 1)).get()
    if not href:
        return None
    url = without_fragment(urljoin(page_url, href.strip()))
    return None if url == without_fragment(page_url) else url


def extract_listing(sel: Selector, page_url: str) -> list[ListingEntry]:
    """Article links of a category listing page, with the date each entry shows. Sidebar widgets
    (``h4.media-heading``) are not listing entries."""
    entries: list[ListingEntry] = []
    for media in sel.css("div.media-content, div.media-body"):
        link = media.css("h2.media-heading a::attr(href), h3.media-heading a::attr(href)").get()
        url = canonical_article_url(link, page_url) if link else None
        if url and host_of(url) == host_of(page_url):
            date = media.css("span.date")
            entries.append(ListingEntry(url, _text(date[0]) if date else None))
    return entries


def extract_categories(sel: Selector, page_url: str) -> list[tuple[str, str]]:
    """(slug, listing URL) of the category listings linked from the site navigation, in order."""
    links = sel.css("nav a::attr(href), ul.nav a::attr(href), .navbar a::attr(href), header a::attr(href)")
    if not links:
        links = sel.css("a::attr(href)")
    found: dict[str, str] = {}
    for href in links.getall():
        url = without_fragment(urljoin(page_url, href.strip()))
        slug = category_slug(url)
        if slug and host_of(url) == host_of(page_url):
            found.setdefault(slug, url)
    return list(found.items())


def extract_article(sel: Selector, page_url: str) -> ArticlePage:
    """Every field one article page gives."""
    ld = extract_json_ld(sel)
    lines = credit_lines(sel)
    date_text, date_structured = extract_date(sel, ld)
    paragraphs, related = extract_body(sel, page_url, ld)
    image_url, image_caption = extract_image(sel, page_url, ld)
    return ArticlePage(
        title=extract_title(sel, ld),
        date_text=date_text,
        date_structured=date_structured,
        reporter=extract_reporter(sel, ld, lines),
        editor=extract_editor(sel, ld, lines),
        category=extract_category(sel, ld, lines),
        tags=extract_tags(sel, ld),
        paragraphs=paragraphs,
        image_url=image_url,
        image_caption=image_caption,
        related_urls=_unique(related + extract_related_blocks(sel, page_url)),
        next_page_url=extract_next_page(sel, page_url),
    )
