"""What is not article text: the patterns, in one place, for extraction and the cleaning pipeline.

Each pattern is matched against one paragraph's text (whitespace already collapsed).
"""

from __future__ import annotations

import re

# BACA JUGA in any case, spacing and punctuation: "BACA JUGA:", "Baca Juga :", "baca juga -",
# "BACAJUGA", "Baca jg". A paragraph that opens with it is a related-article line.
RELATED_LABEL = re.compile(r"^\W*baca\s*(?:juga|jg)\b\W*", re.IGNORECASE)
# The same label in the middle of a paragraph: "... kalimat terakhir. BACA JUGA: <a>Judul</a>".
RELATED_INLINE = re.compile(r"\bbaca\s*(?:juga|jg)\b\W*", re.IGNORECASE)

# Headings of related-article blocks below the body.
RELATED_HEADING = re.compile(r"\b(?:berita|artikel|baca)\s+(?:terkait|lainnya|juga)\b|\brelated\b", re.I)

# "Kategori :", "Reporter :", "Editor :", "Sumber :" (and "Penulis :") credit lines.
CREDIT_LINE = re.compile(r"^\W*(?:kategori|reporter|editor|sumber|penulis|redaktur)\s*:", re.IGNORECASE)

# Promotions: "Ikuti ... di Google News", "Simak breaking news ...", "Cek Berita dan Artikel lainnya di
# Google News", "Dapatkan informasi terkini ...". Anchored on the promotion's own phrasing, so an
# ordinary sentence that starts with "Simak" or "Cek" or mentions WhatsApp stays.
PROMOTION = re.compile(
    r"^\W*(?:"
    r"(?:ikuti|follow|gabung|bergabung(?:lah)?|subscribe)\b.{0,120}?\b(?:di|on|ke|dengan)\s+"
    r"(?:google\s*news|whatsapp\s*channel|saluran\s+whatsapp|kanal\s+whatsapp|telegram|instagram|youtube|tiktok)"
    r"|simak\s+(?:breaking\s+news|berita\s+(?:dan|pilihan)\b.{0,80}?\b(?:ponsel|google\s*news|whatsapp))"
    r"|cek\s+berita\s+dan\s+artikel\s+(?:yang\s+)?lain(?:nya)?\s+di\s+google\s*news"
    r"|dapatkan\s+(?:informasi|berita|update)\s+(?:terkini|terbaru|pilihan)"
    r")",
    re.IGNORECASE,
)

# Page furniture: "Halaman 1 dari 3", "1 2 3 Selanjutnya", "Page 2", lone page numbers and marks.
PAGE_FURNITURE = re.compile(
    r"^(?:(?:halaman|page|hal\.?)\s*\d+(?:\s*(?:dari|of|/)\s*\d+)?"  # Halaman 1 dari 3
    r"|(?:[«‹<]+\s*)?(?:(?:sebelumnya|prev(?:ious)?)\s*)?\d+(?:\s+\d+)+(?:\s*(?:selanjutnya|berikutnya|next))?"
    r"(?:\s*[»›>]+)?"  # 1 2 3 Selanjutnya »
    r"|(?:[«‹<]+\s*)?(?:sebelumnya|selanjutnya|berikutnya|next|prev(?:ious)?)(?:\s*[»›>]+)?"
    r"|[«‹<]+(?:\s*\d+)*\s*[»›>]*|(?:\d+\s*)*[»›>]+)$",
    re.IGNORECASE,
)

# A news site's domain as a watermark: belitongekspres.com, DISWAY.ID, radartegal.com, diswayjogja.co.id.
SITE_DOMAIN = r"(?i:(?:[a-z0-9][a-z0-9-]*\.)+(?:com|id|net|org|co|news|info|online|tv|today))\b"
_DASH = r"\s*(?:-{1,2}|–|—)\s*"
# The lede's opening watermark, in every form the network writes it: "TANJUNGPANDAN, BELITONGEKSPRES.COM - ",
# "JAKARTA, DISWAY.ID -", "PEMALANG, radartegal.com – ", "radartegal.com–K...", any dash, any spacing.
# The place is written in capitals (TANJUNGPANDAN, KULON PROGO), as every paper of the network does.
DATELINE = re.compile(rf"^\s*(?P<place>[A-Z][A-Z .'’-]{{0,40}}?[A-Z])\s*,\s*{SITE_DOMAIN}{_DASH}")
# Some ledes carry the watermark without a place: "diswayjogja.com - Mencari ..." (first paragraph only).
WATERMARK_OPENING = re.compile(rf"^\s*{SITE_DOMAIN}{_DASH}")


# Ad labels and end marks that stand alone in a paragraph.
LONE_MARK = re.compile(
    r"^(?:advertisement|iklan|ads?|scroll\s+to\s+continue\s+with\s+content|\(\s*\*+\s*\)|\*+|-+)$",
    re.IGNORECASE,
)

# A paragraph that is one of these from its start: the four patterns above in one regex, one call.
_BOILERPLATE_START = re.compile(
    "|".join(f"(?:{p.pattern})" for p in (RELATED_LABEL, CREDIT_LINE, PAGE_FURNITURE, LONE_MARK)),
    re.IGNORECASE,
)


def is_boilerplate(paragraph: str) -> bool:
    """True for a paragraph the contract says `body` never holds."""
    text = paragraph.strip()
    if not text:
        return True
    return bool(_BOILERPLATE_START.match(text) or (len(text) <= 300 and PROMOTION.match(text)))


def split_dateline(lede: str, bare: bool = True) -> tuple[str | None, str]:
    """Split ``PLACE, BELITONGEKSPRES.COM - text`` into (``PLACE``, ``text``); with ``bare``, also
    a watermark with no place (``diswayjogja.com - text`` into (None, ``text``))."""
    match = DATELINE.match(lede)
    if match:
        return match["place"].strip(), lede[match.end() :]
    match = WATERMARK_OPENING.match(lede) if bare else None
    if match:
        return None, lede[match.end() :]
    return None, lede


def watermark_of(opening: str) -> str | None:
    """The domain in a lede's opening watermark (``PLACE, diswayjogja.com - ``), lower-cased."""
    found = re.search(SITE_DOMAIN, opening)
    return found.group(0).lower() if found else None


def collapse_space(text: str) -> str:
    """Runs of whitespace (non-breaking spaces included) to one space, ends stripped. (``str.split``
    knows the same whitespace as a regex's backslash-s, every character checked, and is faster.)"""
    return " ".join(text.split())
