"""The Disway network's URL grammar: which pages are articles and listings, and the one form an
article's URL takes in the items.

Every form below answers on live network sites, so every one of them is read here:

=================================  ===============================================================
``/read/<id>/<slug>``              the short form (share links, BACA JUGA links)
``/<category>/read/<id>/<slug>``   what current pages declare as canonical and link from listings
``//read/<id>/<slug>``             BACA JUGA hrefs, written with a double slash
``/amp/<id>/<slug>``               the AMP copy (``link rel=amphtml``)
``.../<slug>/<n>``                 page n of a multi-page article
``/kategori/<slug>[/<offset>]``    a category listing (current sites)
``/kategori/<id>/<slug>[/<off>]``  a category listing (older sites)
``/readstatik/<id>/<slug>``        a static page (redaksi, kontak): never an article
=================================  ===============================================================

An article's identity is its number on its host; the item's ``url`` is always
``<scheme>://<host>/read/<id>/<slug>``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit, urlunsplit

# After runs of slashes are collapsed: [/<category>]/read/<id>[/<slug>][/<page>] or /amp/<id>[/<slug>].
ARTICLE_PATH = re.compile(
    r"^(?:/(?P<category>[\w-]+))?/(?P<kind>(?i:read|amp))/(?P<id>\d+)(?:/(?P<slug>[^/]+))?(?:/(?P<page>\d+))?/?$"
)
# A first segment that is never a category: these paths are other kinds of page.
NOT_A_CATEGORY = frozenset({"kategori", "listtag", "readstatik", "search", "rss", "amp", "read", "upload"})
# /kategori/<slug>[/<offset>] and /kategori/<id>/<slug>[/<offset>]
CATEGORY_PATH = re.compile(
    r"^/kategori/(?:(?P<id>\d+)/)?(?P<slug>[a-z0-9][\w-]*)(?:/(?P<offset>\d+))?/?$", re.IGNORECASE
)
_SLASHES = re.compile(r"/{2,}")


class ArticleRef(NamedTuple):
    """What an article URL says: which article, by which slug, which of its pages."""

    scheme: str
    host: str
    article_id: int
    slug: str | None
    page: int  # 1 for the first page


def host_of(url: str) -> str:
    """Host and port, lower-cased: what 'the same site' means."""
    return urlsplit(url).netloc.lower()


@lru_cache(maxsize=4096)
def on_origin(url: str, page_url: str) -> str | None:
    """``url`` moved onto ``page_url``'s scheme and port when both name the same host (a link written
    ``http://`` or with ``:443`` on an https site), else None: another site's link."""
    parts, page = urlsplit(url), urlsplit(page_url)
    if not parts.hostname or parts.hostname != page.hostname:
        return None
    return urlunsplit((page.scheme, page.netloc, parts.path, parts.query, parts.fragment))


def _absolute(url: str, base: str | None) -> str:
    url = url.strip()
    return urljoin(base, url) if base else url


@lru_cache(maxsize=4096)
def parse_article_url(url: str, base: str | None = None) -> ArticleRef | None:
    """The article an URL of any of the network's forms points to, or None for any other page.

    A relative ``url`` is resolved against ``base``. This and the other readers of links keep their
    answers for the last few thousand URLs: a link is read by the page, the spider, the fingerprinter
    and the archive, and sits on many pages.
    """
    parts = urlsplit(_absolute(url, base))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    match = ARTICLE_PATH.match(_SLASHES.sub("/", parts.path))
    if not match or (match["category"] or "").lower() in NOT_A_CATEGORY:
        return None
    if match["kind"].lower() == "amp" and match["category"]:
        return None
    slug = match["slug"]
    return ArticleRef(
        parts.scheme, parts.netloc.lower(), int(match["id"]), slug, int(match["page"]) if match["page"] else 1
    )


@lru_cache(maxsize=4096)
def canonical_article_url(url: str, base: str | None = None, slug: str | None = None) -> str | None:
    """The item form ``<scheme>://<host>/read/<id>/<slug>`` of any article URL; None if not an
    article. ``slug`` replaces the URL's own (the slug the page itself declares)."""
    ref = parse_article_url(url, base)
    if ref is None:
        return None
    slug = slug or ref.slug
    path = f"/read/{ref.article_id}" + (f"/{slug}" if slug else "")
    return urlunsplit((ref.scheme, ref.host, path, "", ""))


def item_url(page_url: str, declared_url: str | None = None) -> str | None:
    """An article page's ``url`` field: the item form of the URL it was fetched from, with the slug
    the page itself declares (``link rel=canonical``, ``og:url``) when that names the same article."""
    fetched = parse_article_url(page_url)
    if fetched is None:
        return None
    declared = parse_article_url(declared_url) if declared_url else None
    same = declared is not None and declared.article_id == fetched.article_id and declared.slug
    return canonical_article_url(page_url, slug=declared.slug if same else None)


@lru_cache(maxsize=4096)
def article_request_url(url: str, base: str | None = None) -> str | None:
    """The URL to fetch for an article link: as the site wrote it (the category form is what pages
    declare canonical), with runs of slashes collapsed, no query or fragment, AMP read as the page."""
    absolute = _absolute(url, base)
    ref = parse_article_url(absolute)
    if ref is None:
        return None
    path = _SLASHES.sub("/", urlsplit(absolute).path)
    if path.lower().startswith("/amp/"):
        path = "/read/" + path[len("/amp/") :]
    return urlunsplit((ref.scheme, ref.host, path, "", ""))


def article_id(url: str) -> int | None:
    """The article's number, from any article URL form."""
    ref = parse_article_url(url)
    return ref.article_id if ref else None


def category_slug(url: str) -> str | None:
    """The slug of a category listing URL (any of its pages, with or without the numeric id)."""
    match = CATEGORY_PATH.match(_SLASHES.sub("/", urlsplit(url).path))
    return match["slug"].lower() if match else None


def without_fragment(url: str) -> str:
    """Listing and page links compared and requested without their ``#fragment``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
