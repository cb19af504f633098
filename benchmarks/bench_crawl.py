"""Benchmark the whole crawler on a generated site: throughput against bare Scrapy, CPU and memory per
page, extraction against trafilatura, the archive's write cost and size, cron runs, and the export.

Why: the site has tens of thousands of articles and the crawler runs from cron; this shows what a run
costs and where it stands against its goals, measured in one run on this machine.

How: an N-article site is generated from the mirrors' article pages (both template generations, half
each: new ids, slugs, titles, dates over two years, shuffled real paragraphs), with category listings
in both URL styles and CodeIgniter pagination, and served from memory by a small asyncio server on
127.0.0.1 (its own capacity is measured and printed). ``scrapy crawl belitong`` and a bare Scrapy
spider that follows the same links are run in alternating rounds, each under a tiny fresh wrapper
process that reports the crawl's CPU time and peak RSS (a child's ru_maxrss starts at its parent's
high-water mark, so the parent must be small). Then, in this process, reading one article page is
timed against ``trafilatura.extract``; then the archive (write cost, size, no-change cron runs at two
archive sizes) and the export command (time and peak RSS) are measured.

Run:   python benchmarks/bench_crawl.py [--articles 2000] [--rounds 3] [--small 1000] [--profile]
Needs: pip install -r benchmarks/requirements.txt (trafilatura; py-spy for --profile); wrk (apt) is
       used for the server's capacity when present, else a Python client.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import html
import json
import os
import platform
import random
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parsel import Selector
from scrapy.utils.test import get_crawler

from belitong_crawler import archive as archive_module
from belitong_crawler import settings as project_settings
from belitong_crawler.archiving import IncrementalArchive
from belitong_crawler.generations import read_article_page
from belitong_crawler.items import article_item
from belitong_crawler.page import Page
from belitong_crawler.pipelines import clean_body, normalise_published_at
from belitong_crawler.urls import item_url

PROJECT = Path(__file__).resolve().parent.parent
MIRRORS = PROJECT / "belitong_crawler" / "mirror"
OLD_ROOT, CURRENT_ROOT = MIRRORS / "site", MIRRORS / "current" / "site"
ORIGIN = "https://belitongekspres.com"  # one origin for every generated page; the server rewrites it
CURRENT_ORIGIN = "https://jogja.disway.id"
OLD, CURRENT = "disway2022", "disway2024"
# Article pages used as templates: plain ones, ones with JSON-LD, BACA JUGA and related blocks, and
# multi-page ones (52362: 2 pages, 52305 and 100068: 3 pages). Pages testing odd cases (no title, an
# unreadable date, WITA, offsite or missing links, old slugs) are left out: this measures speed.
OLD_TEMPLATES = (52415, 52431, 52447, 52455, 52491, 52362, 52305)
CURRENT_TEMPLATES = (100041, 100071, 100074, 100077, 100088, 100068)
# (listing path, name); the current generation's slugs differ from the older ones' (slugs name a
# category for the crawler).
OLD_CATEGORIES = (
    ("/kategori/1/belitung", "Belitung"),
    ("/kategori/2/belitung-timur", "Belitung Timur"),
    ("/kategori/5/pilkada-2024", "Pilkada 2024"),
    ("/kategori/7/ekonomi", "Ekonomi"),
)
CURRENT_CATEGORIES = (
    ("/kategori/jogja-raya", "Jogja Raya"),
    ("/kategori/gaya-hidup", "Gaya Hidup"),
    ("/kategori/sleman", "Sleman"),
)
FIRST_ID = 300000
CONCURRENCY = 16
HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MON = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# --- template skeletons ---------------------------------------------------------------------------
# A skeleton is a mirror page with what varies per generated page replaced by tokens "\0NAME\0" (or
# "\0LINK:<mirror id>\0"), filled in by ``fill``.
TOKEN = re.compile("\x00(\\w+)(?::(\\d+))?\x00")
_HARI = "|".join(HARI)
DATE_FORMS = (  # token, pattern of the form in the mirror pages
    ("DEN", re.compile(rf"\b(?:{_HARI}),? \d{{2}} (?:{'|'.join(MON)}) \d{{4}} - \d{{2}}:\d{{2}} WIB")),
    ("DNUM", re.compile(rf"\b(?:{_HARI}) \d{{2}}-\d{{2}}-\d{{4}},\d{{2}}:\d{{2}} WIB")),
    ("DID", re.compile(rf"\b(?:{_HARI}), \d{{2}} (?:{'|'.join(BULAN)}) \d{{4}} \| \d{{2}}:\d{{2}} WIB")),
    ("ISOC", re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00")),
    ("ISOP", re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0700")),
    ("PUB", re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")),
)
ARTICLE_LINK = re.compile(r"(?<=/)(read|amp)/(\d+)/[\w-]+(?:/\d+)?")
PLAIN_PARAGRAPH = re.compile(r"<p>([^<>]{60,})</p>")
NOT_TEXT = re.compile(
    r"(?i)baca juga|google news|sumber|reporter|editor|kategori|simak|ikuti|cek berita"
    r"|belitongekspres|disway|halaman"
)
PLAIN_LEDE = re.compile(r"(<p>[A-Z][A-Z .]*, BELITONGEKSPRES\.COM\s*[-–—]+\s*)[^<>]+(</p>)")
OG_TITLE = re.compile(r'<meta property="og:title" content="([^"]*)"')
WATERMARK = re.compile(
    r"(?i)(?:belitongekspres\.com|diswayjogja\.com|disway\.id)(?:\s*</(?:strong|span|b)>)?"
    r"\s*[-–—]"
)


@dataclass(frozen=True)
class Template:
    """An article of a mirror, as skeletons of its pages (page 1 first)."""

    generation: str
    article_id: int
    prefix: str  # the path before /read/ ("" or "/<category>")
    pages: tuple[str, ...]


def fill(skeleton: str, resolve: Callable[[str, str | None], str]) -> str:
    return TOKEN.sub(lambda match: resolve(match[1], match[2]), skeleton)


def mirror_article_ids() -> set[int]:
    return {
        int(p.parent.parent.name)
        for root in (OLD_ROOT, CURRENT_ROOT)
        for p in root.glob("**/read/*/*/index.html")
    }


def article_skeleton(page: str, article_id: int, slug: str, title: str, mirror_ids: set[int]) -> str:
    """One page of a mirror article with its title, own URL, dates, links to other mirror articles
    and plain paragraphs made tokens; page 1 also gets an insertion point after its lede."""
    page = page.replace(CURRENT_ORIGIN, ORIGIN)
    for variant in sorted(
        {title, html.escape(title), html.escape(title, quote=False), json.dumps(title)[1:-1]},
        key=len,
        reverse=True,
    ):
        page = page.replace(variant, "\x00TITLE\x00")
    page = re.sub(rf"(?<=/)(read|amp)/{article_id}/{re.escape(slug)}", "\\1/\x00SELF\x00", page)
    page = page.replace(f'"id": "{article_id}"', '"id": "\x00ID\x00"')
    page = relink(page, mirror_ids)
    for token, pattern in DATE_FORMS:
        page = pattern.sub(f"\x00{token}\x00", page)
    page, ledes = PLAIN_LEDE.subn("\\1\x00PARA\x00\\2\x00EXTRA\x00", page, count=1)
    page = PLAIN_PARAGRAPH.sub(lambda m: m[0] if NOT_TEXT.search(m[1]) else "<p>\x00PARA\x00</p>", page)
    if not ledes:
        mark = WATERMARK.search(page)
        end = page.find("</p>", mark.end()) if mark else -1
        if end >= 0:
            page = page[: end + 4] + "\x00EXTRA\x00" + page[end + 4 :]
    return page


def load_template(root: Path, generation: str, article_id: int, mirror_ids: set[int]) -> Template:
    first = next(root.glob(f"**/read/{article_id}/*/index.html"))
    folder = first.parent
    slug = folder.name
    source = first.read_text(encoding="utf-8")
    found = OG_TITLE.search(source)
    if found is None:
        raise ValueError(f"template {article_id} has no og:title")
    title = html.unescape(found[1])
    later = sorted(
        (p for p in folder.glob("*/index.html") if p.parent.name.isdigit()), key=lambda p: int(p.parent.name)
    )
    pages = tuple(
        article_skeleton(p.read_text(encoding="utf-8"), article_id, slug, title, mirror_ids)
        for p in (first, *later)
    )
    if "\x00SELF\x00" not in pages[0] or "\x00TITLE\x00" not in pages[0]:
        raise ValueError(f"template {article_id}: its own URL or title was not found")
    category_folder = folder.parent.parent.parent  # root, or root/<category> for the current layout
    prefix = "" if category_folder == root else "/" + category_folder.relative_to(root).as_posix()
    return Template(generation, article_id, prefix, pages)


def listing_skeleton(page: str, mirror_ids: set[int]) -> str:
    """A category listing page of a mirror with its entries, pagination and name made tokens."""
    page = page.replace(CURRENT_ORIGIN, ORIGIN)
    page = re.sub(
        r'(<div class="(?:latest-news|list-berita)">\n).*?'
        r'(</div>\n(?:<div class="text-center">\n)?)<ul class="pagination">.*?</ul>',
        "\\1\x00ENTRIES\x00\\2\x00PAGINATION\x00",
        page,
        count=1,
        flags=re.DOTALL,
    )
    page = re.sub(r"<title>[^<]*?( - [^<]*)</title>", "<title>\x00CATNAME\x00\\1</title>", page, count=1)
    page = re.sub(
        r'(<meta property="og:title" content=")[^"]*?( - [^"]*)?"', '\\1\x00CATNAME\x00\\2"', page, count=1
    )
    page = re.sub(r'(<link rel="canonical" href=")[^"]*"', '\\1\x00PAGEURL\x00"', page, count=1)
    page = re.sub(r'(<meta property="og:url" content=")[^"]*"', '\\1\x00PAGEURL\x00"', page, count=1)
    page = re.sub(r"(<h1[^>]*>)[^<]*(</h1>)", "\\1\x00CATNAME\x00\\2", page, count=1)
    page = relink(page, mirror_ids)
    if "\x00ENTRIES\x00" not in page:
        raise ValueError("listing template: no entries block found")
    return page


def front_skeleton(page: str, mirror_ids: set[int]) -> str:
    page = re.sub(
        r'(<nav class="navbar"><ul class="nav">).*?(</ul></nav>)',
        "\\1\x00NAV\x00\\2",
        page,
        count=1,
        flags=re.DOTALL,
    )
    return relink(page, mirror_ids)


def relink(page: str, mirror_ids: set[int]) -> str:
    """Links to other mirror articles made tokens (filled with links to generated articles); links to
    other sites' articles stay."""

    def token(link: re.Match[str]) -> str:
        return f"{link[1]}/\x00LINK:{link[2]}\x00" if int(link[2]) in mirror_ids else link[0]

    return ARTICLE_LINK.sub(token, page)


def paragraph_pool() -> list[str]:
    """Plain body paragraphs of every mirror article (no markup, no boilerplate)."""
    found: dict[str, None] = {}
    for root in (OLD_ROOT, CURRENT_ROOT):
        for path in sorted(root.glob("**/read/**/index.html")):
            for text in re.findall(r"<p>([^<>]{80,})</p>", path.read_text(encoding="utf-8")):
                if not NOT_TEXT.search(text):
                    found[text.strip()] = None
    return list(found)


def title_pool() -> list[str]:
    titles = []
    for root in (OLD_ROOT, CURRENT_ROOT):
        for path in sorted(root.glob("**/read/*/*/index.html")):
            found = OG_TITLE.search(path.read_text(encoding="utf-8"))
            if found:
                titles.append(re.sub(r"[\"'<>&\\?]", "", html.unescape(found[1])))
    return titles


# --- the generated site ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    generation: str
    path: str
    name: str
    per_page: int


@dataclass(frozen=True)
class Article:
    article_id: int
    slug: str
    title: str
    published: datetime  # WIB wall time
    template: Template
    category: Category

    @property
    def path(self) -> str:
        return f"{self.template.prefix}/read/{self.article_id}/{self.slug}"

    @property
    def expected_url(self) -> str:
        return f"/read/{self.article_id}/{self.slug}"

    @property
    def expected_published_at(self) -> str:
        return f"{self.published:%Y-%m-%dT%H:%M}:00+07:00"


@dataclass
class Site:
    root: Path
    articles: list[Article]
    listing_pages: int
    build_seconds: float = 0.0

    @property
    def article_pages(self) -> int:
        return sum(len(a.template.pages) for a in self.articles)

    @property
    def expected_requests(self) -> int:
        """robots.txt, the front page, every listing page and every article page."""
        return 2 + self.listing_pages + self.article_pages

    def by_id(self) -> dict[int, Article]:
        return {a.article_id: a for a in self.articles}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def new_title(rng: random.Random, titles: list[str]) -> str:
    """Half of one real headline and half of another."""
    first, second = rng.sample(titles, 2)
    head = first.split(", ")[0] if ", " in first else " ".join(first.split()[:5])
    tail = " ".join(second.split()[-rng.randint(3, 6) :])
    return f"{head}, {tail}"


def date_values(when: datetime, seconds: int) -> dict[str, str]:
    hari = HARI[when.weekday()]
    return {
        "DEN": f"{hari} {when:%d} {MON[when.month - 1]} {when:%Y - %H:%M} WIB",
        "DNUM": f"{hari} {when:%d-%m-%Y,%H:%M} WIB",
        "DID": f"{hari}, {when:%d} {BULAN[when.month - 1]} {when:%Y | %H:%M} WIB",
        "ISOC": f"{when:%Y-%m-%dT%H:%M}:00+07:00",
        "ISOP": f"{when:%Y-%m-%dT%H:%M}:00+0700",
        "PUB": f"{when:%Y-%m-%d %H:%M}:{seconds:02d}",
    }


class SiteBuilder:
    """Writes an N-article site (half per generation) into a folder, from the mirrors' templates."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        mirror_ids = mirror_article_ids()
        self.templates = {
            OLD: [load_template(OLD_ROOT, OLD, i, mirror_ids) for i in OLD_TEMPLATES],
            CURRENT: [load_template(CURRENT_ROOT, CURRENT, i, mirror_ids) for i in CURRENT_TEMPLATES],
        }
        self.listing = {
            OLD: listing_skeleton(
                (OLD_ROOT / "kategori/1/belitung/index.html").read_text("utf-8"), mirror_ids
            ),
            CURRENT: listing_skeleton(
                (CURRENT_ROOT / "kategori/ekonomi/index.html").read_text("utf-8"), mirror_ids
            ),
        }
        self.front = front_skeleton((OLD_ROOT / "index.html").read_text("utf-8"), mirror_ids)
        self.paragraphs = paragraph_pool()
        self.titles = title_pool()
        self.articles: list[Article] = []

    def build(self, count: int, root: Path) -> Site:
        started = time.perf_counter()
        categories = self.categories()
        self.articles = self.plan(count, categories)
        for article in self.articles:
            self.write_article(root, article)
        listing_pages = sum(self.write_listing(root, c) for c in categories)
        write_page(root, "/", fill(self.front, self.resolver({"NAV": navigation(categories)})))
        (root / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")
        return Site(root, self.articles, listing_pages, time.perf_counter() - started)

    def categories(self) -> list[Category]:
        return [
            Category(generation, path, name, self.rng.randint(10, 30))
            for generation, known in ((OLD, OLD_CATEGORIES), (CURRENT, CURRENT_CATEGORIES))
            for path, name in known
        ]

    def plan(self, count: int, categories: list[Category]) -> list[Article]:
        """Articles with dates over two years (ending a week ago: no recheck of recent articles in the
        cron runs), ids in date order, half of each generation."""
        end = datetime.now().replace(microsecond=0) - timedelta(days=7)
        drafts = []
        for index in range(count):
            generation = OLD if index < count // 2 else CURRENT
            when = end - timedelta(minutes=self.rng.randrange(730 * 24 * 60))
            drafts.append((when, generation))
        drafts.sort()
        articles = []
        for offset, (when, generation) in enumerate(drafts):
            title = new_title(self.rng, self.titles)
            category = self.rng.choice([c for c in categories if c.generation == generation])
            articles.append(
                Article(
                    FIRST_ID + offset,
                    slugify(title),
                    title,
                    when,
                    self.rng.choice(self.templates[generation]),
                    category,
                )
            )
        return articles

    def resolver(self, fixed: dict[str, str]) -> Callable[[str, str | None], str]:
        """Token values for one page: ``fixed`` ones, links to generated articles (the same target for
        the same mirror link within the page), shuffled real paragraphs."""
        links: dict[str | None, str] = {}
        rng = self.rng

        def resolve(name: str, argument: str | None) -> str:
            if name in fixed:
                return fixed[name]
            if name == "LINK":
                target = rng.choice(self.articles)
                return links.setdefault(argument, f"{target.article_id}/{target.slug}")
            if name == "PARA":
                return rng.choice(self.paragraphs)
            if name == "EXTRA":
                return "".join(f"\n<p>{rng.choice(self.paragraphs)}</p>" for _ in range(rng.randint(2, 6)))
            raise KeyError(f"no value for token {name}")

        return resolve

    def write_article(self, root: Path, article: Article) -> None:
        fixed = {
            "TITLE": article.title,
            "SELF": f"{article.article_id}/{article.slug}",
            "ID": str(article.article_id),
            **date_values(article.published, self.rng.randrange(60)),
        }
        resolve = self.resolver(fixed)
        for number, skeleton in enumerate(article.template.pages, start=1):
            suffix = f"/{number}" if number > 1 else ""
            write_page(root, article.path + suffix, fill(skeleton, resolve))

    def write_listing(self, root: Path, category: Category) -> int:
        """The category's listing pages, newest first; returns how many."""
        listed = sorted(
            (a for a in self.articles if a.category == category), key=lambda a: a.published, reverse=True
        )
        pages = max(1, -(-len(listed) // category.per_page))
        for number in range(1, pages + 1):
            chunk = listed[(number - 1) * category.per_page : number * category.per_page]
            path = listing_path(category, number)
            fixed = {
                "ENTRIES": "".join(listing_entry(a) for a in chunk),
                "CATNAME": category.name,
                "PAGEURL": ORIGIN + path,
                "PAGINATION": pagination(category, number, pages),
            }
            write_page(root, path, fill(self.listing[category.generation], self.resolver(fixed)))
        return pages


def write_page(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def listing_path(category: Category, number: int) -> str:
    return category.path if number == 1 else f"{category.path}/{(number - 1) * category.per_page}"


def navigation(categories: list[Category]) -> str:
    links = [f'<li><a href="{ORIGIN}/">Home</a></li>']
    links += [f'<li><a href="{ORIGIN}{c.path}">{c.name}</a></li>' for c in categories]
    links += [
        f'<li><a href="{ORIGIN}/{path}">{name}</a></li>'
        for path, name in (("indeks", "Indeks"), ("redaksi", "Redaksi"))
    ]
    return "\n" + "\n".join(links) + "\n"


def pagination(category: Category, current: int, last: int) -> str:
    """CodeIgniter's pagination: first, previous, two numbers either side, next, last."""
    if last == 1:
        return ""

    def link(number: int, label: str, rel: str = "") -> str:
        rel_attribute = f' rel="{rel}"' if rel else ""
        return (
            f'<li><a href="{ORIGIN}{listing_path(category, number)}" data-ci-pagination-page="{number}"'
            f"{rel_attribute}>{label}</a></li>"
        )

    items = []
    if current > 3:
        items.append(link(1, "&lsaquo; First", "start"))
    if current > 1:
        items.append(link(current - 1, "&lt;", "prev"))
    for number in range(max(1, current - 2), min(last, current + 2) + 1):
        active = f'<li class="active"><a>{number}</a></li>'
        items.append(active if number == current else link(number, str(number)))
    if current < last:
        items.append(link(current + 1, "&gt;", "next"))
    if current + 2 < last:
        items.append(link(last, "Last &rsaquo;"))
    return '<ul class="pagination">\n' + "\n".join(items) + "\n</ul>"


def listing_entry(article: Article) -> str:
    """One entry of a listing page, in its generation's markup."""
    url = ORIGIN + article.path
    image = hashlib.md5(article.slug.encode(), usedforsecurity=False).hexdigest()
    alt = article.title[:40]
    if article.template.generation == OLD:
        return (
            f'<div class="media">\n<div class="media-left"><a href="{url}"><img class="media-object" '
            f'src="{ORIGIN}/upload/{article.published:%Y/%m}/{image}.jpg" alt="{alt}"></a></div>\n'
            f'<div class="media-content">\n'
            f'<h2 class="media-heading"><a href="{url}">{article.title}</a></h2>\n'
            f'<p class="text-uppercase">{article.category.name}</p>\n'
            f'<span class="date">{date_values(article.published, 0)["DEN"]}</span>\n</div>\n</div>\n'
        )
    return (
        f'<div class="media">\n<div class="media-left"><a href="{url}"><img class="media-object" '
        f'src="{ORIGIN}/upload/small/{image}.jpg" alt="{alt}" width="200"></a></div>\n'
        f'<div class="media-body media-content">\n<p class="text-uppercase">{article.category.name}</p>\n'
        f'<h2 class="media-heading"><a href="{url}">{article.title}</a></h2>\n'
        f'<p class="date">{relative_age(article.published)}</p>\n</div>\n</div>\n'
    )


def relative_age(when: datetime) -> str:
    days = (datetime.now() - when).days
    if days < 7:
        return f"{days} hari"
    if days < 30:
        return f"{days // 7} minggu"
    return f"{days // 30} bulan" if days < 365 else f"{days // 365} tahun"


# --- the static server ----------------------------------------------------------------------------
# [/<anything>]/read|amp/<id>[/<slug>][/<page>]: an article by its id, as the CMS routes it.
ARTICLE_ROUTE = re.compile(r"^/(?:[^/]+/)?(?:read|amp)/(?P<id>\d+)(?:/[^/]+?)?(?:/(?P<page>\d+))?/?$")


def http_response(status: str, body: bytes, content_type: str) -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


@dataclass
class ServerCounts:
    requests: int = 0
    not_found: int = 0
    first: float = 0.0
    last: float = 0.0

    @property
    def window(self) -> float:
        """Seconds from the first request to the last."""
        return self.last - self.first


class StaticServer:
    """Serves a site folder from memory (every response pre-rendered, the live origin rewritten to its
    own) with asyncio on one thread; counts requests and when the first and last came."""

    NOT_FOUND = http_response("404 Not Found", b"<html><body>404</body></html>", "text/html")

    def __init__(self, root: Path) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        host, port = self.sock.getsockname()[:2]
        self.origin = f"http://{host}:{port}"
        self.routes: dict[str, bytes] = {}
        self.articles: dict[tuple[int, int], bytes] = {}
        self.preload(root)
        self.counts = ServerCounts()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread: threading.Thread | None = None
        self.ready = threading.Event()

    def preload(self, root: Path) -> None:
        live, own = ORIGIN.encode(), self.origin.encode()
        for file in root.rglob("*"):
            if not file.is_file():
                continue
            relative = file.relative_to(root)
            if file.name == "index.html":
                relative = relative.parent
            path = "/" if relative == Path(".") else "/" + relative.as_posix()
            kind = "text/plain" if file.suffix == ".txt" else "text/html; charset=utf-8"
            response = http_response("200 OK", file.read_bytes().replace(live, own), kind)
            self.routes[path] = response
            route = ARTICLE_ROUTE.match(path)
            if route:
                self.articles[(int(route["id"]), int(route["page"] or 1))] = response

    @property
    def bytes_held(self) -> int:
        return sum(map(len, self.routes.values()))

    def respond(self, head: bytes) -> bytes:
        parts = head.split(b" ", 2)
        target = parts[1].decode("latin-1") if len(parts) > 1 else "/"
        path = re.sub("/+", "/", target.split("?", 1)[0].split("#", 1)[0])
        counts = self.counts
        counts.last = time.perf_counter()
        if not counts.requests:
            counts.first = counts.last
        counts.requests += 1
        found = self.routes.get(path) or self.routes.get(path.rstrip("/"))
        if found is None:
            route = ARTICLE_ROUTE.match(path)
            found = self.articles.get((int(route["id"]), int(route["page"] or 1))) if route else None
        if found is None:
            counts.not_found += 1
            return self.NOT_FOUND
        return found

    def reset(self) -> ServerCounts:
        """The counts so far; counting starts again."""
        counts, self.counts = self.counts, ServerCounts()
        return counts

    def start(self) -> StaticServer:
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()
        self.ready.wait()
        return self

    def serve(self) -> None:
        self.loop = loop = asyncio.new_event_loop()
        server = loop.run_until_complete(loop.create_server(lambda: _HttpProtocol(self), sock=self.sock))
        self.ready.set()
        loop.run_forever()
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()

    def stop(self) -> None:
        if self.loop is not None and self.thread is not None:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)


class _HttpProtocol(asyncio.Protocol):
    """HTTP/1.1 GET with keep-alive: a request is its head; the answer is one pre-rendered write."""

    def __init__(self, server: StaticServer) -> None:
        self.server = server
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        assert self.transport is not None
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            self.transport.write(self.server.respond(head))
            if b"connection: close" in head.lower():
                self.transport.close()
                return


# --- the server's own capacity --------------------------------------------------------------------
CAPACITY_CLIENT = r"""
import asyncio, sys, time
host, port, seconds, connections = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
paths = sys.argv[5:]
done = [0]
async def worker(deadline, offset):
    reader, writer = await asyncio.open_connection(host, port)
    index = offset
    while time.perf_counter() < deadline:
        writer.write(f"GET {paths[index % len(paths)]} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        index += 1
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        done[0] += 1
    writer.close()
async def main():
    start = time.perf_counter()
    await asyncio.gather(*(worker(start + seconds, 97 * k) for k in range(connections)))
    print(done[0] / (time.perf_counter() - start))
asyncio.run(main())
"""


def capacity_paths(site: Site, rng: random.Random) -> list[str]:
    """A mix like a crawl's: article pages and some listing pages."""
    articles = [a.path for a in rng.sample(site.articles, min(2000, len(site.articles)))]
    listings = sorted({a.category.path for a in site.articles})
    return articles + listings * 5


def measure_capacity(
    server: StaticServer, paths: list[str], workdir: Path, seconds: float = 3.0
) -> tuple[float, str]:
    """Requests/s the server answers, with ``CONCURRENCY`` keep-alive connections: wrk when present,
    else a Python asyncio client (slower than wrk, so a lower bound). Returns (rate, client)."""
    host_port = server.origin.removeprefix("http://")
    if shutil.which("wrk"):
        script = workdir / "paths.lua"
        listed = ",".join(json.dumps(p) for p in paths)
        script.write_text(
            f"paths = {{{listed}}}\ni = 0\nrequest = function()\n  i = i % #paths + 1\n"
            "  return wrk.format('GET', paths[i])\nend\n",
            encoding="utf-8",
        )
        out = subprocess.run(
            ["wrk", "-t1", f"-c{CONCURRENCY}", f"-d{seconds:.0f}s", "-s", str(script), server.origin + "/"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        found = re.search(r"Requests/sec:\s+([\d.]+)", out.stdout)
        if found:
            return float(found[1]), f"wrk -t1 -c{CONCURRENCY}"
    host, port = host_port.split(":")
    out = subprocess.run(
        [sys.executable, "-c", CAPACITY_CLIENT, host, port, str(seconds), str(CONCURRENCY), *paths],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return float(out.stdout.strip()), f"Python asyncio client, {CONCURRENCY} connections (a lower bound)"


# --- measured child processes ---------------------------------------------------------------------
# The wrapper: small (python -S), it forks the command and reports the command's CPU time and peak
# RSS (RUSAGE_CHILDREN) to a JSON file. Forked from this small process, the command's ru_maxrss
# starts at the wrapper's few MB, not at this benchmark's high-water mark (the site is in memory).
WRAPPER = r"""
import json, os, resource, sys, time
out, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    finally:
        os._exit(127)
_, status = os.waitpid(pid, 0)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(out, "w") as handle:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss,
               "status": os.waitstatus_to_exitcode(status)}, handle)
"""


class BenchmarkError(Exception):
    """A step that could not be measured (a crawl that failed, timed out or fetched the wrong pages)."""


@dataclass(frozen=True)
class Measured:
    wall: float
    cpu: float
    rss_mb: float
    status: int
    log: Path
    others: float  # cores busy meanwhile with anything else (other programs, the host's steal): noise


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / os.sysconf("SC_CLK_TCK")


def run_measured(
    command: Sequence[str], cwd: Path, log: Path, timeout: float, env: dict[str, str] | None = None
) -> Measured:
    """Run ``command`` under the wrapper; its output goes to ``log``. Killed (with the wrapper) after
    ``timeout`` seconds."""
    usage_file = log.with_name(log.name + ".rusage.json")
    busy, own = machine_busy_seconds(), time.process_time()  # this process: the server's thread
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-S", "-c", WRAPPER, str(usage_file), *command],
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise BenchmarkError(
                f"timed out after {timeout:.0f}s: {shlex.join(command)} (log: {log})"
            ) from None
    usage = json.loads(usage_file.read_text())
    others = machine_busy_seconds() - busy - (time.process_time() - own) - usage["cpu"]
    return Measured(
        usage["wall"],
        usage["cpu"],
        usage["maxrss_kb"] / 1024,
        usage["status"],
        log,
        max(0.0, others) / usage["wall"],
    )


def log_tail(log: Path, lines: int = 15) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


# --- crawls ---------------------------------------------------------------------------------------
BARE_SPIDER = '''"""Bare Scrapy: the same links as belitong (navigation, listings and their pagination,
article entries, multi-page articles), a title per article, nothing else."""

import scrapy


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, base_url, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url

    async def start(self):
        yield scrapy.Request(self.base_url + "/", callback=self.parse_front)

    def parse_front(self, response):
        for href in response.css("nav.navbar ul.nav a::attr(href)").getall():
            if "/kategori/" in href:
                yield response.follow(href, callback=self.parse_listing)

    def parse_listing(self, response):
        for href in response.css("div.media-content h2.media-heading a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_article)
        following = response.css("ul.pagination a[rel=next]::attr(href)").get()
        if following:
            yield response.follow(following, callback=self.parse_listing)

    def parse_article(self, response, first=True):
        if first:
            yield {"title": response.css("h1::text").get("").strip()}
        following = response.css("ul.pagination a[rel=next]::attr(href)").get()
        if following:
            yield response.follow(following, callback=self.parse_article, cb_kwargs={"first": False})
'''
SPEED_SETTINGS = (
    "AUTOTHROTTLE_ENABLED=False",
    "DOWNLOAD_DELAY=0",
    f"CONCURRENT_REQUESTS_PER_DOMAIN={CONCURRENCY}",
    "LOG_LEVEL=WARNING",
)
# What the project's settings give its crawl that a bare runspider lacks, for the same conditions.
BARE_SETTINGS = (
    "ROBOTSTXT_OBEY=True",
    "TELNETCONSOLE_ENABLED=False",
    "REMOTE_CONTROL_ENABLED=False",
    "FEED_EXPORT_ENCODING=utf-8",
)


def setting_flags(settings: Sequence[str]) -> list[str]:
    return [flag for setting in settings for flag in ("-s", setting)]


def ours_command(origin: str, output: Path, archive: Path | None) -> list[str]:
    return [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "belitong",
        "-a",
        f"base_url={origin}",
        *setting_flags(SPEED_SETTINGS),
        "-s",
        f"BELITONG_ARCHIVE={archive or ''}",
        "-O",
        str(output),
    ]


def bare_command(origin: str, output: Path, spider: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "scrapy",
        "runspider",
        str(spider),
        "-a",
        f"base_url={origin}",
        *setting_flags(SPEED_SETTINGS),
        *setting_flags(BARE_SETTINGS),
        "-O",
        str(output),
    ]


def child_env(workdir: Path) -> dict[str, str]:
    """The environment of every measured command: no Scrapy project variables, and compiled modules
    cached under ``workdir`` (never beside the project's sources), so that no run pays for compiling
    modules whatever PYTHONDONTWRITEBYTECODE says (``warm_up`` fills the cache)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT", "PYTHONDONTWRITEBYTECODE")
    }
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    return env


@dataclass
class CrawlResult:
    kind: str
    label: str
    measured: Measured
    counts: ServerCounts
    items: int
    startup: float  # seconds from launch to the first request (imports, settings, archive checks)
    checked: str = ""

    @property
    def pages(self) -> int:
        return self.counts.requests

    @property
    def rate(self) -> float:
        """Pages per second of the process's whole life (start-up included)."""
        return self.pages / self.measured.wall

    @property
    def window_rate(self) -> float:
        """Pages per second from the first request to the last (the crawling itself)."""
        return self.pages / self.counts.window if self.counts.window > 0 else float("nan")

    @property
    def cpu_ms_per_page(self) -> float:
        return self.measured.cpu / self.pages * 1000


def read_items(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def check_ours(items: list[dict], site: Site) -> str:
    """How many exported items carry the generated article's URL, title and date."""
    expected = site.by_id()
    url = title = date = 0
    for item in items:
        article = expected.get(item.get("article_id"))
        if article is None:
            continue
        url += str(item.get("url", "")).endswith(article.expected_url)
        title += item.get("title") == article.title
        date += item.get("published_at") == article.expected_published_at
    return f"url {url}, title {title}, date {date} of {len(site.articles)} right"


def run_crawl(
    kind: str, label: str, command: list[str], cwd: Path, server: StaticServer, output: Path, timeout: float
) -> CrawlResult:
    output.unlink(missing_ok=True)
    server.reset()
    launched = time.perf_counter()
    measured = run_measured(command, cwd, output.with_suffix(".log"), timeout, env=child_env(output.parent))
    counts = server.reset()
    items = read_items(output) if output.suffix == ".jsonl" else []
    startup = counts.first - launched if counts.requests else float("nan")
    return CrawlResult(kind, label, measured, counts, len(items), startup)


def require(condition: bool, message: str, result: CrawlResult) -> None:
    if not condition:
        raise BenchmarkError(f"{message}\n--- {result.measured.log}:\n{log_tail(result.measured.log)}")


@dataclass
class Bench:
    """What a benchmark run needs at hand: its folder, site, server and options."""

    workdir: Path
    site: Site
    server: StaticServer
    timeout: float
    bare_spider: Path = field(init=False)

    def __post_init__(self) -> None:
        self.bare_spider = self.workdir / "bare_spider.py"
        self.bare_spider.write_text(BARE_SPIDER, encoding="utf-8")

    def crawl_ours(self, label: str, archive: Path | None = None, check: bool = True) -> CrawlResult:
        output = self.workdir / f"ours-{label}.jsonl"
        result = run_crawl(
            "ours",
            label,
            ours_command(self.server.origin, output, archive),
            PROJECT,
            self.server,
            output,
            self.timeout,
        )
        require(
            result.measured.status == 0, f"belitong crawl {label} exited {result.measured.status}", result
        )
        if check:
            result.checked = check_ours(read_items(output), self.site)
        return result

    def warm_up(self) -> None:
        """A tiny crawl of each kind and the export's imports, unmeasured: every module the measured
        runs import is compiled into the cache first, so no run, first or not, pays for that."""
        article = self.server.origin + self.site.articles[0].path
        output = self.workdir / "warm-up.jsonl"
        commands = [
            ([*ours_command(self.server.origin, output, None), "-a", f"urls={article}"], PROJECT),
            (
                [
                    *bare_command(self.server.origin, output, self.bare_spider),
                    "-s",
                    "CLOSESPIDER_PAGECOUNT=3",
                ],
                self.workdir,
            ),
            (
                [
                    sys.executable,
                    "-c",
                    "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot; "
                    "import belitong_crawler.export, belitong_crawler.search; "
                    "from Sastrawi.Stemmer.StemmerFactory import StemmerFactory",
                ],
                PROJECT,
            ),
        ]
        for command, cwd in commands:
            subprocess.run(
                command,
                cwd=cwd,
                env=child_env(self.workdir),
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        self.server.reset()

    def crawl_bare(self, label: str) -> CrawlResult:
        output = self.workdir / f"bare-{label}.jsonl"
        result = run_crawl(
            "bare",
            label,
            bare_command(self.server.origin, output, self.bare_spider),
            self.workdir,
            self.server,
            output,
            self.timeout,
        )
        require(result.measured.status == 0, f"bare crawl {label} exited {result.measured.status}", result)
        return result


def crawl_rounds(bench: Bench, rounds: int) -> list[CrawlResult]:
    """ours, bare | bare, ours | ours, bare ...: each kind goes first in every other round."""
    results = []
    for number in range(1, rounds + 1):
        order = ("ours", "bare") if number % 2 else ("bare", "ours")
        for kind in order:
            label = f"r{number}"
            result = bench.crawl_ours(label) if kind == "ours" else bench.crawl_bare(label)
            print(f"  {crawl_line(result)}", flush=True)
            for problem in coverage_problems(result, bench.site):
                print(f"  WARNING: {problem} (log: {result.measured.log})", flush=True)
            results.append(result)
    return results


def coverage_problems(result: CrawlResult, site: Site) -> list[str]:
    """Where a crawl did not fetch exactly the site's pages or export every article once."""
    problems = []
    if result.pages != site.expected_requests:
        problems.append(
            f"{result.kind} {result.label} made {result.pages} requests; the site has "
            f"{site.expected_requests} pages"
        )
    if result.counts.not_found:
        problems.append(f"{result.kind} {result.label}: {result.counts.not_found} requests got 404")
    if result.items != len(site.articles):
        problems.append(f"{result.kind} {result.label} exported {result.items} items of {len(site.articles)}")
    return problems


def crawl_line(result: CrawlResult) -> str:
    m = result.measured
    return (
        f"{result.kind:<4} {result.label:<13} {result.pages:>6} pages {result.items:>6} items "
        f"{m.wall:>6.1f} s (first request {result.startup:.2f} s) {result.rate:>6.1f} p/s, "
        f"{result.window_rate:>6.1f} in window, {result.cpu_ms_per_page:>6.2f} CPU ms/p, "
        f"{m.rss_mb:>4.0f} MB, "
        f"others {m.others:.2f}" + (f"  [{result.checked}]" if result.checked else "")
    )


# --- extraction against trafilatura ---------------------------------------------------------------


@dataclass(frozen=True)
class ExtractionResult:
    pages: dict[str, int]  # generation -> pages in the sample
    ms: dict[tuple[str, str], float]  # (reader, generation or "all") -> mean ms per page
    ours_right: int  # pages whose title and date came out as generated
    trafilatura_nonempty: int

    def get(self, reader: str, generation: str = "all") -> float:
        return self.ms.get((reader, generation), float("nan"))

    def by_generation(self, reader: str) -> str:
        return ", ".join(f"{g} {self.get(reader, g):.2f} ms" for g in (OLD, CURRENT))


def sample_pages(site: Site, count: int, rng: random.Random) -> list[tuple[Article, str]]:
    chosen = rng.sample(site.articles, min(count, len(site.articles)))
    return [(a, (site.root / a.path.strip("/") / "index.html").read_text(encoding="utf-8")) for a in chosen]


def read_like_the_crawl(html_text: str, url: str) -> dict:
    """One article page as the crawl reads it: fields, the item, then the date and body pipelines."""
    fields = read_article_page(Page.from_html(html_text, url))
    item = article_item(item_url(url, fields.canonical_url), fields)
    normalise_published_at(item)
    clean_body(item)
    return item


def per_page_ms(
    function: Callable[[str, str], object], pages: list[tuple[str, str]], passes: int = 3
) -> float:
    """Median over ``passes`` of the mean milliseconds per page."""
    for url, text in pages[:5]:  # warm up (imports, caches)
        function(text, url)
    times = []
    for _ in range(passes):
        started = time.perf_counter()
        for url, text in pages:
            function(text, url)
        times.append(time.perf_counter() - started)
    return statistics.median(times) / len(pages) * 1000


def extraction_readers() -> dict[str, Callable[[str, str], object]]:
    """What is timed on each page: parsing alone, the crawl's reading, and trafilatura when installed."""
    readers: dict[str, Callable[[str, str], object]] = {
        "parse": lambda text, url: Selector(text=text),
        "ours": read_like_the_crawl,
    }
    try:
        import trafilatura
    except ImportError:
        print("  trafilatura is not installed (pip install -r benchmarks/requirements.txt): skipped")
    else:
        readers["trafilatura"] = lambda text, url: trafilatura.extract(text)
    return readers


def extraction_bench(site: Site, count: int, rng: random.Random) -> ExtractionResult:
    """Each reader timed per template generation on the same sample of first pages; "all" is the mean
    over the whole sample."""
    sample = sample_pages(site, count, rng)
    by_generation = {
        g: [(ORIGIN + a.path, text) for a, text in sample if a.template.generation == g]
        for g in (OLD, CURRENT)
    }
    readers = extraction_readers()
    ms: dict[tuple[str, str], float] = {}
    for name, reader in readers.items():
        for generation, pages in by_generation.items():
            if pages:
                ms[(name, generation)] = per_page_ms(reader, pages)
        weighted = sum(ms.get((name, g), 0.0) * len(pages) for g, pages in by_generation.items())
        ms[(name, "all")] = weighted / len(sample)
    right = 0
    for article, text in sample:
        item = read_like_the_crawl(text, ORIGIN + article.path)
        right += item["title"] == article.title and item["published_at"] == article.expected_published_at
    trafilatura = readers.get("trafilatura")
    nonempty = sum(bool(trafilatura(text, "")) for _, text in sample) if trafilatura else 0
    return ExtractionResult({g: len(p) for g, p in by_generation.items()}, ms, right, nonempty)


# --- the archive ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoreCost:
    articles: int
    ms_per_article: float
    stem_ms_per_article: float | None  # of which: Sastrawi stemming for the search index


def archive_store_cost(items: list[dict], path: Path) -> StoreCost:
    """``Archive.store`` per article, in this process, into a fresh archive. Stemming is timed by
    wrapping the archive module's ``stem_text`` for the duration."""
    archive = archive_module.Archive(path)
    run_id = archive.begin_run(True)
    stemming = [0.0]
    original = getattr(archive_module, "stem_text", None)

    def timed_stem(text: str) -> str:
        started = time.perf_counter()
        try:
            return original(text)
        finally:
            stemming[0] += time.perf_counter() - started

    if original is not None:
        archive_module.stem_text = timed_stem
    try:
        started = time.perf_counter()
        for item in items:
            archive.store(item, run_id)
        elapsed = time.perf_counter() - started
    finally:
        if original is not None:
            archive_module.stem_text = original
        archive.close()
    per = 1000 / len(items)
    return StoreCost(len(items), elapsed * per, stemming[0] * per if original is not None else None)


@dataclass(frozen=True)
class ArchiveSize:
    articles: int
    bytes: int
    by_part: dict[str, int]

    @property
    def kb_per_article(self) -> float:
        return self.bytes / 1024 / max(1, self.articles)


def archive_size(path: Path) -> ArchiveSize:
    """The archive's size once its WAL is checkpointed, and what takes the room (SQLite's dbstat)."""
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        try:
            rows = db.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
        except sqlite3.OperationalError:  # SQLite built without dbstat
            rows = []
    parts: Counter[str] = Counter()
    for name, size in rows:
        parts[
            "search index (articles_fts*)"
            if name.startswith("articles_fts")
            else "articles (table and indexes)"
            if name.startswith(("articles", "sqlite_autoindex_articles"))
            else "other tables"
        ] += size
    wal = Path(f"{path}-wal")
    total = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return ArchiveSize(articles, total, dict(parts))


@dataclass
class ArchiveRuns:
    """A first crawl with the archive on, then no-change (cron) runs over the same site."""

    size_label: str
    articles: int
    first: CrawlResult
    cron: list[CrawlResult]
    size: ArchiveSize
    start_costs: dict[str, float]  # ms of each archive step a run takes before its first request

    @property
    def cron_wall(self) -> float:
        return statistics.median(r.measured.wall for r in self.cron)

    @property
    def cron_startup(self) -> float:
        return statistics.median(r.startup for r in self.cron)


def archive_runs(bench: Bench, label: str, cron_runs: int) -> ArchiveRuns:
    path = bench.workdir / f"archive-{label}.sqlite"
    first = bench.crawl_ours(f"archive-{label}", path)
    print(f"  {crawl_line(first)}", flush=True)
    for problem in coverage_problems(first, bench.site):
        print(f"  WARNING: {problem} (log: {first.measured.log})", flush=True)
    cron = []
    for number in range(1, cron_runs + 1):
        run = bench.crawl_ours(f"cron-{label}-{number}", path, check=False)
        print(f"  {crawl_line(run)}", flush=True)
        cron.append(run)
    return ArchiveRuns(
        label, len(bench.site.articles), first, cron, archive_size(path), archive_start_costs(path)
    )


def archive_start_costs(path: Path) -> dict[str, float]:
    """What a run does with the archive before its first request, each step timed in this process
    (ms): the crawl command's damage check (whole, as after a change between runs, and skipped, as a
    cron run after a run that ended finds the file), then the archive component's opening (its
    queries for what to ask for again). These are what can grow with the archive; the rest of a
    no-change run does not."""
    started = time.perf_counter()
    archive_module.archive_problem(path)
    check = (time.perf_counter() - started) * 1000
    stamp = archive_module.archive_stamp(path)
    started = time.perf_counter()
    archive_module.archive_problem(path, (stamp, time.time()))
    skipped = (time.perf_counter() - started) * 1000
    settings = {name: value for name, value in vars(project_settings).items() if name.isupper()}
    crawler = get_crawler(settings_dict={**settings, "BELITONG_ARCHIVE": str(path)})
    started = time.perf_counter()
    component = IncrementalArchive(crawler, str(path))
    opening = (time.perf_counter() - started) * 1000
    component.archive.close()
    return {"whole quick_check": check, "check when unchanged": skipped, "archive component opening": opening}


# --- export ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRun:
    what: str
    articles: int
    measured: Measured


def export_runs(workdir: Path, archive: Path, articles: int, timeout: float) -> list[ExportRun]:
    """``export`` to CSV and ``export --summary`` on one archive, each in a fresh measured process."""
    base = [sys.executable, "-m", "belitong_crawler", "export", "--archive", str(archive)]
    commands = {  # what -> (log name, command)
        "export -o x.csv": ("export-csv", [*base, "-o", str(workdir / f"export-{articles}.csv")]),
        "export --summary": ("export-summary", [*base, "--summary", str(workdir / f"summary-{articles}")]),
    }
    runs = []
    for what, (name, command) in commands.items():
        log = workdir / f"{name}-{articles}.log"
        measured = run_measured(command, PROJECT, log, timeout, env=child_env(workdir))
        if measured.status != 0:
            raise BenchmarkError(f"{what} on {archive} exited {measured.status}:\n{log_tail(log)}")
        print(
            f"  {what:<18} {articles:>6} articles {measured.wall:>6.2f} s {measured.rss_mb:>6.0f} MB",
            flush=True,
        )
        runs.append(ExportRun(what, articles, measured))
    return runs


# --- profile --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    samples: int
    project_samples: int  # samples with a frame of the project's code on the stack
    leaf: list[tuple[str, int]]  # functions by self time, anywhere
    project_self: list[tuple[str, int]]  # the project's functions by self time
    project_inner: list[tuple[str, int]]  # the innermost project function on the stack (library calls in)


def profile_crawl(bench: Bench, top: int) -> Profile | None:
    """One crawl (archive off) under py-spy; its samples summed by function."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("  py-spy is not installed (pip install py-spy): no profile")
        return None
    raw = bench.workdir / "profile.txt"
    output = bench.workdir / "ours-profile.jsonl"
    command = [
        spy,
        "record",
        "-r",
        "250",
        "-f",
        "raw",
        "--nolineno",
        "-o",
        str(raw),
        "--",
        *ours_command(bench.server.origin, output, None),
    ]
    with (bench.workdir / "profile.log").open("wb") as log:
        subprocess.run(
            command,
            cwd=PROJECT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=child_env(bench.workdir),
            timeout=bench.timeout,
            check=False,
        )
    bench.server.reset()
    return summarize_profile(raw, top) if raw.exists() else None


def short_frame(frame: str) -> str:
    """``name (…/site-packages/pkg/mod.py)`` -> ``name (pkg/mod.py)``."""
    name, _, where = frame.partition(" (")
    name, where = name.strip() or "(native or unnamed)", where.rstrip(")")
    for marker in ("site-packages/", str(PROJECT) + "/", "/lib/python3."):
        if marker in where:
            where = where.split(marker, 1)[1]
            break
    return f"{name} ({where})"


OUTSIDE_PROJECT = "(no project frame: Scrapy, Twisted, start-up)"


def summarize_profile(raw: Path, top: int) -> Profile:
    leaf: Counter[str] = Counter()
    own_self: Counter[str] = Counter()
    own_inner: Counter[str] = Counter()
    samples = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames, weight = stack.split(";"), int(count)
        samples += weight
        leaf[short_frame(frames[-1])] += weight
        own = [f for f in frames if "belitong_crawler/" in f and "belitong_crawler/commands/" not in f]
        own_inner[short_frame(own[-1]) if own else OUTSIDE_PROJECT] += weight
        if "belitong_crawler/" in frames[-1]:
            own_self[short_frame(frames[-1])] += weight
    return Profile(
        samples,
        samples - own_inner[OUTSIDE_PROJECT],
        leaf.most_common(top),
        own_self.most_common(top),
        own_inner.most_common(top),
    )


# --- the report -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    figure: str
    value: float
    unit: str
    limit: float
    at_most: bool  # True: value <= limit is met; False: value >= limit
    note: str = ""

    def verdict(self) -> str:
        if self.value != self.value:  # NaN
            return "not measured"
        met = self.value <= self.limit if self.at_most else self.value >= self.limit
        if met:
            return "met"
        if self.at_most:
            return f"missed: {self.value / self.limit:.2f}x the limit"
        return f"missed: {(1 - self.value / self.limit) * 100:.0f}% short"


def fmt(value: float, unit: str) -> str:
    if value != value:
        return "-"
    digits = 2 if abs(value) < 10 else 1 if abs(value) < 100 else 0
    return f"{value:,.{digits}f}{unit}"


def print_goals(goals: list[Goal]) -> None:
    print(f"\n{'figure':<52} {'measured':>12} {'goal':>11}  verdict")
    for goal in goals:
        sign = "<=" if goal.at_most else ">="
        limit = f"{sign} {fmt(goal.limit, goal.unit)}"
        print(f"{goal.figure:<52} {fmt(goal.value, goal.unit):>12} {limit:>11}  {goal.verdict()}")
        if goal.note:
            print(f"{'':<4}{goal.note}")


def machine_facts() -> list[str]:
    import scrapy

    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    return [
        f"machine: {os.cpu_count()} cores (nproc), {model}, {platform.system()} {platform.release()}",
        f"Python {platform.python_version()}, Scrapy {scrapy.__version__}, "
        f"trafilatura {package_version('trafilatura')}",
        f"command: {shlex.join([Path(sys.executable).name, *sys.argv])}",
    ]


def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


@dataclass
class Findings:
    """Everything measured, for the final table."""

    capacity: tuple[float, str] = (float("nan"), "")
    rounds: list[CrawlResult] = field(default_factory=list)
    extraction: ExtractionResult | None = None
    store: StoreCost | None = None
    archives: list[ArchiveRuns] = field(default_factory=list)
    exports: list[ExportRun] = field(default_factory=list)
    profile: Profile | None = None
    load_at_start: str = field(default_factory=lambda: load_average())

    def measured(self) -> list[tuple[str, Measured]]:
        crawls = [*self.rounds, *(r for a in self.archives for r in (a.first, *a.cron))]
        return [(f"{r.kind} {r.label}", r.measured) for r in crawls] + [
            (f"{e.what} {e.articles}", e.measured) for e in self.exports
        ]


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def paired_ratios(rounds: list[CrawlResult], value: Callable[[CrawlResult], float]) -> list[float]:
    """ours / bare within each round."""
    by_round: dict[str, dict[str, CrawlResult]] = {}
    for result in rounds:
        by_round.setdefault(result.label, {})[result.kind] = result
    return [value(pair["ours"]) / value(pair["bare"]) for pair in by_round.values() if len(pair) == 2]


def median_of(results: list[CrawlResult], kind: str, value: Callable[[CrawlResult], float]) -> float:
    values = [value(r) for r in results if r.kind == kind]
    return statistics.median(values) if values else float("nan")


def crawl_table(findings: Findings) -> None:
    rounds = findings.rounds
    print(
        "\nCrawls (rN: archive off; archive-N: the first crawl with the archive on; pages = requests the "
        "server answered,\nrobots.txt included; start = seconds to the first request; others = CPU other "
        "programs used meanwhile, in cores):"
    )
    print(
        f"  {'crawl':<18} {'pages':>6} {'items':>6} {'wall s':>7} {'start s':>7} {'pages/s':>8} "
        f"{'p/s window':>10} {'CPU s':>6} {'CPU ms/p':>8} {'peak RSS':>9} {'others':>6}"
    )
    for r in [*rounds, *(a.first for a in findings.archives)]:
        m = r.measured
        print(
            f"  {r.kind + ' ' + r.label:<18} {r.pages:>6} {r.items:>6} {m.wall:>7.1f} {r.startup:>7.2f} "
            f"{r.rate:>8.1f} {r.window_rate:>10.1f} {m.cpu:>6.1f} {r.cpu_ms_per_page:>8.2f} "
            f"{m.rss_mb:>6.0f} MB {m.others:>6.2f}"
        )
    for kind in ("ours", "bare"):
        print(
            f"  median {kind}: {median_of(rounds, kind, lambda r: r.window_rate):.1f} pages/s (window), "
            f"{median_of(rounds, kind, lambda r: r.rate):.1f} pages/s (wall), "
            f"{median_of(rounds, kind, lambda r: r.cpu_ms_per_page):.2f} CPU ms/page, "
            f"{median_of(rounds, kind, lambda r: r.measured.rss_mb):.0f} MB peak RSS"
        )
    rate, client = findings.capacity
    fastest = max((r.window_rate for r in rounds), default=float("nan"))
    print(
        f"  server capacity: {rate:,.0f} requests/s ({client}); the fastest crawl used "
        f"{fastest / rate * 100:.1f}% of it"
    )


def goals_of(findings: Findings) -> list[Goal]:
    nan = float("nan")
    goals = []
    window = paired_ratios(findings.rounds, lambda r: r.window_rate)
    wall = paired_ratios(findings.rounds, lambda r: r.rate)
    cpu = paired_ratios(findings.rounds, lambda r: r.cpu_ms_per_page)
    goals.append(
        Goal(
            "throughput ours/bare (median of rounds, window)",
            statistics.median(window) if window else nan,
            "x",
            0.8,
            False,
            f"per round {', '.join(f'{v:.2f}' for v in window)}; by whole process wall time "
            f"{statistics.median(wall) if wall else nan:.2f}x; CPU per page ours/bare "
            f"{statistics.median(cpu) if cpu else nan:.2f}x",
        )
    )
    extraction = findings.extraction
    if extraction:
        ours, parse, total = extraction.get("ours"), extraction.get("parse"), sum(extraction.pages.values())
        goals.append(
            Goal(
                "reading one article page (extract + date + clean)",
                ours,
                " ms",
                1.0,
                True,
                f"{extraction.by_generation('ours')}; parsing alone (parsel Selector) "
                f"{parse:.2f} ms "
                f"({extraction.by_generation('parse')}): ours is {ours / parse:.1f}x the parse; "
                f"{extraction.ours_right}/{total} pages read with the generated title and date",
            )
        )
        theirs = extraction.get("trafilatura")
        goals.append(
            Goal(
                "speed-up over trafilatura.extract",
                theirs / ours,
                "x",
                4.0,
                False,
                f"trafilatura.extract {theirs:.2f} ms/page "
                f"({extraction.by_generation('trafilatura')}; "
                f"text found on {extraction.trafilatura_nonempty}/{total})",
            )
        )
    goals.extend(archive_goals(findings))
    goals.extend(export_goals(findings))
    return goals


def archive_goals(findings: Findings) -> list[Goal]:
    goals = []
    store = findings.store
    full = findings.archives[0] if findings.archives else None
    off_cpu = median_of(findings.rounds, "ours", lambda r: r.measured.cpu)
    if store:
        crawl_note = ""
        if full:
            extra = (full.first.measured.cpu - off_cpu) / max(1, full.first.items) * 1000
            crawl_note = f"; in the crawl, archive on minus off: {extra:.2f} CPU ms/article"
        stem = (
            f"of which Sastrawi stemming {store.stem_ms_per_article:.2f} ms"
            if store.stem_ms_per_article is not None
            else "stemming not timed"
        )
        goals.append(
            Goal(
                "archive write per article (Archive.store)",
                store.ms_per_article,
                " ms",
                1.5,
                True,
                f"{store.articles} articles in this process, {stem}{crawl_note}",
            )
        )
    if full:
        parts = ", ".join(
            f"{k} {v / 1024 / max(1, full.size.articles):.1f} KB"
            for k, v in sorted(full.size.by_part.items(), key=lambda kv: -kv[1])
        )
        goals.append(
            Goal(
                "archive size per article",
                full.size.kb_per_article,
                " KB",
                10.0,
                True,
                f"{full.size.bytes / 2**20:.1f} MB for {full.size.articles} articles; {parts}",
            )
        )
    if len(findings.archives) == 2:
        big, small = findings.archives
        ratio = big.cron_wall / small.cron_wall
        figure = f"no-change cron run at {big.articles:,} / at {small.articles:,}"
        goals.append(
            Goal(
                figure,
                ratio,
                "x",
                1.10,
                True,
                f"median of {len(big.cron)}: {big.cron_wall:.2f} s vs {small.cron_wall:.2f} s "
                f"(to the first request {big.cron_startup:.2f} s vs {small.cron_startup:.2f} s); "
                f"{big.cron[0].pages} and {small.cron[0].pages} requests; peak RSS "
                f"{big.cron[0].measured.rss_mb:.0f} vs {small.cron[0].measured.rss_mb:.0f} MB; "
                f"archive work before the first request: {start_costs(big, small)}"
                + ("" if big.articles >= 20000 else "; the goal is 20k vs 1k: --articles 20000"),
            )
        )
    return goals


def start_costs(big: ArchiveRuns, small: ArchiveRuns) -> str:
    """The archive steps before a run's first request, at both sizes, and their growth."""
    steps = ", ".join(
        f"{name} {big.start_costs[name]:.0f} vs {small.start_costs[name]:.0f} ms" for name in big.start_costs
    )
    # A cron run after a run that ended skips the whole check (the file is as that run left it).
    growth = sum(v for k, v in big.start_costs.items() if k != "whole quick_check") - sum(
        v for k, v in small.start_costs.items() if k != "whole quick_check"
    )
    per_thousand = growth / (big.articles - small.articles) * 1000
    return f"{steps} (a cron run's: {per_thousand:+.1f} ms per 1,000 articles)"


def export_goals(findings: Findings) -> list[Goal]:
    goals = []
    by = {(e.what, e.articles): e for e in findings.exports}
    sizes = sorted({e.articles for e in findings.exports})
    if not sizes:
        return goals
    big, small = sizes[-1], sizes[0]
    summary = by.get(("export --summary", big))
    if summary:
        goals.append(
            Goal(
                f"export --summary on {big:,} articles",
                summary.measured.wall,
                " s",
                1.0,
                True,
                "" if big >= 20000 else "the goal is at 20k: run --articles 20000",
            )
        )
    for what in ("export -o x.csv", "export --summary"):
        if (what, big) in by and (what, small) in by and big != small:
            a, b = by[(what, big)].measured, by[(what, small)].measured
            # a slope over fewer articles than this is measurement noise (RSS varies by a few MB)
            growth = (a.rss_mb - b.rss_mb) / (big - small) * 1000 if big - small >= 500 else float("nan")
            at_20k = (
                f" (so about {b.rss_mb + growth * (20000 - small) / 1000:.0f} MB at 20,000)"
                if growth == growth
                else " (too few articles apart for a slope)"
            )
            goals.append(
                Goal(
                    f"{what} peak RSS growth per 1,000 articles",
                    growth,
                    " MB",
                    1.0,
                    True,
                    f"{a.rss_mb:.0f} MB at {big:,} vs {b.rss_mb:.0f} MB at {small:,} articles"
                    f"{at_20k}; {a.wall:.2f} s vs {b.wall:.2f} s",
                )
            )
    return goals


def print_profile(profile: Profile) -> None:
    share = profile.project_samples / max(1, profile.samples) * 100
    print(
        f"\nProfile of one crawl (py-spy, {profile.samples} samples; the project's code on the stack in "
        f"{share:.0f}%):"
    )
    for title, rows in (
        ("by self time, all code", profile.leaf),
        ("the project's functions by self time (lxml calls count as the caller's)", profile.project_self),
        ("innermost project function on the stack (with the library calls it makes)", profile.project_inner),
    ):
        print(f"  {title}:")
        for name, count in rows:
            print(f"    {count / max(1, profile.samples) * 100:5.1f}%  {name}")


def print_report(findings: Findings, site: Site, started: float) -> None:
    print("\n" + "=" * 100)
    count = len(site.articles)
    print(
        f"Site: {count:,} articles ({count // 2:,} {OLD}, {count - count // 2:,} {CURRENT}), "
        f"{site.article_pages:,} article pages, {site.listing_pages} listing pages; a crawl makes "
        f"{site.expected_requests:,} requests"
    )
    crawl_table(findings)
    print_goals(goals_of(findings))
    if findings.profile:
        print_profile(findings.profile)
    print()
    noisiest = max(findings.measured(), key=lambda named: named[1].others, default=None)
    if noisiest:
        name, measured = noisiest
        print(
            f"noise: other programs used at most {measured.others:.2f} cores during a measured run ({name})"
            f"; load average at start {findings.load_at_start}, at end {load_average()}"
            + ("  ** the machine was not quiet: figures are skewed **" if measured.others > 0.1 else "")
        )
    for line in machine_facts():
        print(line)
    print(f"benchmark run time: {time.perf_counter() - started:.0f} s")


# --- main -----------------------------------------------------------------------------------------


@contextmanager
def serving(root: Path) -> Iterator[StaticServer]:
    server = StaticServer(root).start()
    try:
        yield server
    finally:
        server.stop()


def build_site(count: int, seed: int, root: Path) -> Site:
    root.mkdir(parents=True)
    site = SiteBuilder(seed).build(count, root)
    print(
        f"Generated {len(site.articles):,} articles ({site.article_pages:,} article pages, "
        f"{site.listing_pages} listing pages) in {site.build_seconds:.1f} s: {root}",
        flush=True,
    )
    return site


def measure_main_site(bench: Bench, args: argparse.Namespace, findings: Findings) -> None:
    rng = random.Random(args.seed)
    server = bench.server
    print(
        f"Server: {len(server.routes):,} responses, {server.bytes_held / 2**20:.0f} MB in memory, at "
        f"{server.origin}",
        flush=True,
    )
    findings.capacity = measure_capacity(bench.server, capacity_paths(bench.site, rng), bench.workdir)
    bench.server.reset()
    print(f"Server capacity: {findings.capacity[0]:,.0f} requests/s ({findings.capacity[1]})", flush=True)
    bench.warm_up()
    print(f"Crawl rounds ({args.rounds}), archive off:", flush=True)
    findings.rounds = crawl_rounds(bench, args.rounds)
    print(f"Extraction on {args.sample} article pages, in this process:", flush=True)
    findings.extraction = extraction = extraction_bench(bench.site, args.sample, rng)
    for reader in ("parse", "ours", "trafilatura"):
        print(
            f"  {reader:<12} {extraction.get(reader):6.2f} ms/page ({extraction.by_generation(reader)})",
            flush=True,
        )
    items = read_items(bench.workdir / "ours-r1.jsonl")
    print(f"Archive.store over the {len(items)} items of a crawl, in this process:", flush=True)
    findings.store = archive_store_cost(items, bench.workdir / "inprocess.sqlite")
    print(f"  {findings.store.ms_per_article:.2f} ms/article", flush=True)
    print("Archive on: a first crawl, then no-change cron runs:", flush=True)
    findings.archives.append(archive_runs(bench, str(len(bench.site.articles)), args.cron_runs))
    if args.profile:
        print("Profiling one crawl with py-spy:", flush=True)
        findings.profile = profile_crawl(bench, args.top)


def measure_small_site(workdir: Path, args: argparse.Namespace, small: int, findings: Findings) -> None:
    site = build_site(small, args.seed + 1, workdir / "site-small")
    with serving(site.root) as server:
        bench = Bench(workdir, site, server, args.timeout)
        print(f"Archive on, {small:,} articles: a first crawl, then no-change cron runs:", flush=True)
        findings.archives.append(archive_runs(bench, str(small), args.cron_runs))


def run(args: argparse.Namespace, workdir: Path) -> None:
    started = time.perf_counter()
    findings = Findings()
    small = min(args.small, args.articles // 2)
    site = build_site(args.articles, args.seed, workdir / "site")
    with serving(site.root) as server:
        measure_main_site(Bench(workdir, site, server, args.timeout), args, findings)
    measure_small_site(workdir, args, small, findings)
    print("Export (fresh process each):", flush=True)
    for archive in findings.archives:
        findings.exports += export_runs(
            workdir, workdir / f"archive-{archive.size_label}.sqlite", archive.articles, args.timeout
        )
    print_report(findings, site, started)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles",
        type=int,
        default=2000,
        help="articles in the site (default 2000; the goals are stated at 20000)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of ours + bare crawls (default 3)")
    parser.add_argument(
        "--small",
        type=int,
        default=1000,
        help="articles of the smaller archive for the "
        "cron and export comparison (default 1000, at most half of --articles)",
    )
    parser.add_argument("--sample", type=int, default=300, help="article pages for the extraction timing")
    parser.add_argument("--cron-runs", type=int, default=3, help="no-change runs per archive size (median)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before any one crawl is killed")
    parser.add_argument("--profile", action="store_true", help="also profile one crawl with py-spy")
    parser.add_argument("--top", type=int, default=12, help="rows per profile table")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="SECONDS",
        help="first wait up to this long for other programs to leave the CPU idle",
    )
    parser.add_argument("--seed", type=int, default=20241001)
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (sites, logs, archives)"
    )
    args = parser.parse_args(argv)
    if args.articles < 4 or args.rounds < 1:
        parser.error("--articles must be at least 4 and --rounds at least 1")
    return args


def others_busy(seconds: float = 3.0) -> float:
    """Cores the machine's programs keep busy now, measured over ``seconds`` (this one idles)."""
    before = machine_busy_seconds()
    time.sleep(seconds)
    return (machine_busy_seconds() - before) / seconds


def wait_until_quiet(limit: float, threshold: float = 0.1) -> None:
    """Wait (up to ``limit`` seconds) until other programs use less than ``threshold`` cores."""
    deadline = time.monotonic() + limit
    while (busy := others_busy()) >= threshold:
        if time.monotonic() >= deadline:
            print(f"The machine is still busy ({busy:.2f} cores used by other programs): measuring anyway")
            return
        print(f"Waiting for a quiet machine ({busy:.2f} cores used by other programs)...", flush=True)
        time.sleep(10)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.wait_quiet > 0:
        wait_until_quiet(args.wait_quiet)
    workdir = Path(tempfile.mkdtemp(prefix="bench_crawl_"))
    try:
        run(args, workdir)
    except BenchmarkError as error:
        print(f"\nbench_crawl: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
