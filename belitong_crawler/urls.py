"""The site's URL shapes (Disway pattern) and their canonical forms."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

# /read/<id>/<slug>[/<page>] ; the page suffix only ever follows a slug.
ARTICLE_PATH = re.compile(r"^/read/(?P<id>\d+)(?:/(?P<slug>[^/]+))?(?:/(?P<page>\d+))?/?$")
# /kategori/<id>/<slug>[/<offset>]
CATEGORY_PATH = re.compile(r"^/kategori/(?P<id>\d+)/(?P<slug>[^/]+)(?:/(?P<offset>\d+))?/?$")


def host_of(url: str) -> str:
    """Host and port, lower-cased: what 'the same site' means."""
    return urlsplit(url).netloc.lower()


def canonical_article_url(url: str, base: str | None = None) -> str | None:
    """The article's first-page URL: no query, no fragment, no page suffix; None if not an article.

    A relative ``url`` is resolved against ``base``.
    """
    absolute = urljoin(base, url.strip()) if base else url.strip()
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https"):
        return None
    match = ARTICLE_PATH.match(parts.path)
    if not match:
        return None
    path = f"/read/{match['id']}" + (f"/{match['slug']}" if match["slug"] else "")
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, "", ""))


def article_id(url: str) -> int | None:
    """The number in ``/read/<id>/<slug>``."""
    match = ARTICLE_PATH.match(urlsplit(url).path)
    return int(match["id"]) if match else None


def category_slug(url: str) -> str | None:
    """The slug of a category listing URL (any of its pages)."""
    match = CATEGORY_PATH.match(urlsplit(url).path)
    return match["slug"] if match else None


def without_fragment(url: str) -> str:
    """Listing and page links compared and requested without their ``#fragment``."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
