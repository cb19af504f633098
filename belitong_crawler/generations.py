"""The Disway template generations, as parser objects over one ``Page``.

Like dated parser versions per publisher: each generation says how to recognise its pages and what
it does differently; the field readers they share live in ``extraction``. ``pick_generation``
chooses per page by what the page contains, and the crawl counts pages per generation
(``belitong/generation/<name>``), so a third generation on the live site shows up in the first run's
report as pages of no known generation.

- ``disway2022``: the older layout. Headline, date line and credits sit outside the body's
  container (``div.post.text-black-1``, ``div.post-content``, ``div.post-body`` ...), which holds
  only the article.
- ``disway2024``: the current network layout. The container ``div.post.text-black-1`` also holds
  the headline (``h1``), the date block and credits (``div.post-info``, ``#author``, ``#editor``)
  and the picture with its caption (``div.bottom-15`` with ``p.text-grey``); bodies are pasted from
  Word. Those are fields, never body.
- ``unknown``: no known body container. Read with the shared layers all the same (JSON-LD
  ``articleBody`` for the body), and counted, so the change is seen.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from belitong_crawler.extraction import (
    CAPTION_SELECTORS,
    ArticlePage,
    extract_body,
    extract_category,
    extract_date,
    extract_editor,
    extract_image,
    extract_next_page,
    extract_related_blocks,
    extract_reporter,
    extract_tags,
    extract_title,
    unique,
)
from belitong_crawler.page import Css, Page, class_names, compiled

# An element whose class attribute holds this class name (as CSS's ``.name`` means it).
_HAS_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"


class Generation:
    """A template generation: how to tell its pages, and how to read one."""

    name = "unknown"
    # Elements inside the body's container that are not the article (None: there are none).
    body_furniture: Callable[[etree._Element], list[etree._Element]] | None = None
    caption_selectors: tuple[Css, ...] = CAPTION_SELECTORS

    def matches(self, page: Page) -> bool:
        return True

    def read(self, page: Page) -> ArticlePage:
        """Every field one article page gives."""
        date_text, date_structured = extract_date(page)
        paragraphs, related = extract_body(page, self.body_furniture)
        image_url, image_caption = extract_image(page, self.caption_selectors)
        return ArticlePage(
            title=extract_title(page),
            date_text=date_text,
            date_structured=date_structured,
            reporter=extract_reporter(page),
            editor=extract_editor(page),
            category=extract_category(page),
            tags=extract_tags(page),
            paragraphs=paragraphs,
            image_url=image_url,
            image_caption=image_caption,
            related_urls=unique(related + extract_related_blocks(page)),
            next_page_url=extract_next_page(page),
            canonical_url=page.canonical_url,
            generation=self.name,
        )


def _furniture_2024(container: etree._Element) -> list[etree._Element]:
    """What the 2024 layout puts inside the body's container that is not the article, in document
    order."""
    return [element for element in container.iterdescendants() if _is_2024_furniture(element)]


def _is_2024_furniture(element: etree._Element) -> bool:
    """The headline, ``.post-info``, ``#author`` or ``#editor``, or the picture's caption: a
    ``p.text-grey`` right after the image or what holds it (the image itself is never body). Read in
    Python: libxml2's XPath costs more per element of the container."""
    if not isinstance(element.tag, str):
        return False
    if element.tag == "h1" or element.get("id") in ("author", "editor"):
        return True
    names = class_names(element.get("class", ""))
    if "post-info" in names:
        return True
    if element.tag != "p" or "text-grey" not in names:
        return False
    before = element.getprevious()  # preceding-sibling::*[1]: the nearest element before it
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()
    if before is None:
        return False
    return before.tag == "img" or next(before.iterdescendants("img"), None) is not None


class Disway2024(Generation):
    """Current network layout: headline, date, credits and picture inside ``div.post.text-black-1``."""

    name = "disway2024"
    body_furniture = staticmethod(_furniture_2024)
    caption_selectors = (Css("div.post.text-black-1 p.text-grey"), *CAPTION_SELECTORS)

    def matches(self, page: Page) -> bool:
        container = page.body_container
        if container is None:
            return False
        if (
            next(container.iterdescendants("h1"), None) is not None
            and container.tag == "div"
            and ("post" in class_names(container.get("class", "")))
        ):
            return True  # what the query below finds first, found without XPath
        return bool(
            compiled(
                f"self::div[{_HAS_CLASS.format('post')}][.//h1 or .//*[{_HAS_CLASS.format('post-info')}]"
                " or .//*[@id='author' or @id='editor']]",
                css=False,
            )(container)
        )


class Disway2022(Generation):
    """Older layout: the body's container holds only the article."""

    name = "disway2022"

    def matches(self, page: Page) -> bool:
        return page.body_container is not None


# In order of preference: the first that matches a page reads it.
GENERATIONS: tuple[Generation, ...] = (Disway2024(), Disway2022(), Generation())


def pick_generation(page: Page) -> Generation:
    """The generation a page belongs to, by what it contains."""
    return next(generation for generation in GENERATIONS if generation.matches(page))


def read_article_page(page: Page) -> ArticlePage:
    """Every field one article page gives, read by its generation's parser."""
    return pick_generation(page).read(page)
