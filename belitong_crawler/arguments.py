"""The spider's arguments (``-a NAME=VALUE``), checked before any request is made."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from urllib.parse import urlsplit

from belitong_crawler.dates import WIB
from belitong_crawler.urls import canonical_article_url, host_of

DEFAULT_BASE_URL = "https://belitongekspres.com"
KNOWN = ("base_url", "categories", "since", "until", "max_pages", "follow_related", "urls")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ArgumentError(ValueError):
    """A bad ``-a`` value; the message is the one line the user sees."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"bad argument {name}: {message}")
        self.name = name


@dataclass(frozen=True)
class DateWindow:
    """``since``/``until`` as WIB calendar days, both inclusive."""

    since: date | None = None
    until: date | None = None

    @property
    def is_set(self) -> bool:
        return self.since is not None or self.until is not None

    @property
    def start(self) -> datetime | None:
        return datetime.combine(self.since, time.min, WIB) if self.since else None

    @property
    def end(self) -> datetime | None:
        return datetime.combine(self.until, time.max, WIB) if self.until else None

    def contains(self, when: datetime | None) -> bool:
        """Whether ``when`` is in the window; an unknown time is in no set window."""
        if not self.is_set:
            return True
        if when is None:
            return False
        return (self.start is None or when >= self.start) and (self.end is None or when <= self.end)

    def before_start(self, when: datetime | None) -> bool:
        return when is not None and self.start is not None and when < self.start


@dataclass(frozen=True)
class SpiderArguments:
    base_url: str = DEFAULT_BASE_URL
    categories: tuple[str, ...] = ()
    window: DateWindow = field(default_factory=DateWindow)
    max_pages: int | None = None
    follow_related: bool = True
    urls: tuple[str, ...] = ()


def parse_arguments(raw: dict[str, object]) -> SpiderArguments:
    """Check every argument; raise ``ArgumentError`` naming the first bad one."""
    unknown = sorted(set(raw) - set(KNOWN) - {"_job"})
    if unknown:
        raise ArgumentError(unknown[0], f"unknown argument; known ones are {', '.join(KNOWN)}")
    text = {k: str(v).strip() for k, v in raw.items() if v is not None}
    for name in KNOWN:  # `-a since=` is a mistake (an unset shell variable?), not "no limit"
        if name in text and not text[name]:
            raise ArgumentError(name, "is empty; leave it out for its default")

    base_url = text.get("base_url", DEFAULT_BASE_URL).rstrip("/")
    parts = urlsplit(base_url)
    try:
        parts.port  # noqa: B018 (raises on a port out of range)
    except ValueError:
        raise ArgumentError("base_url", f"has a bad port: {base_url!r}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ArgumentError("base_url", f"must be an http(s) URL like {DEFAULT_BASE_URL}, got {base_url!r}")
    base_url = f"{parts.scheme}://{parts.netloc.lower()}"

    categories = tuple(s.strip().lower() for s in text.get("categories", "").split(",") if s.strip())
    if "categories" in text and not categories:
        raise ArgumentError("categories", f"{text['categories']!r} names no category (an empty list)")
    for slug in categories:
        if not SLUG.match(slug):
            raise ArgumentError("categories", f"{slug!r} is not a category slug (like pilkada-2024)")

    since = _day(text, "since")
    until = _day(text, "until")
    if since and until and since > until:
        raise ArgumentError("until", f"{until} is before since={since}")

    max_pages = None
    if "max_pages" in text:
        if not re.fullmatch(r"\d+", text["max_pages"]) or int(text["max_pages"]) < 1:
            raise ArgumentError("max_pages", f"must be a whole number from 1 up, got {text['max_pages']!r}")
        max_pages = int(text["max_pages"])

    follow = text.get("follow_related", "true").lower()
    if follow not in ("true", "false", "1", "0", "yes", "no"):
        raise ArgumentError("follow_related", f"must be true or false, got {text['follow_related']!r}")

    urls = []
    for value in (u.strip() for u in text.get("urls", "").split(",")):
        if not value:
            continue
        url = canonical_article_url(value)
        if url is None:
            raise ArgumentError("urls", f"{value!r} is not an article URL (/read/<id>/<slug>)")
        if host_of(url) != host_of(base_url):
            raise ArgumentError("urls", f"{value!r} is not on base_url's host {host_of(base_url)}")
        urls.append(url)
    if "urls" in text and not urls:
        raise ArgumentError("urls", f"{text['urls']!r} names no URL (an empty list)")

    return SpiderArguments(
        base_url=base_url,
        categories=categories,
        window=DateWindow(since, until),
        max_pages=max_pages,
        follow_related=follow in ("true", "1", "yes"),
        urls=tuple(dict.fromkeys(urls)),
    )


def _day(text: dict[str, str], name: str) -> date | None:
    if name not in text or not text[name]:
        return None
    try:
        return datetime.strptime(text[name], "%Y-%m-%d").date()
    except ValueError:
        raise ArgumentError(name, f"must be a date as YYYY-MM-DD, got {text[name]!r}") from None
