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

# Promotions: "Ikuti ... Google News", "Simak breaking news ...", "Cek Berita ... Google News",
# "Dapatkan informasi terkini ...". Only a paragraph that opens with the call to action *and*
# names the channel is a promotion; an ordinary sentence that mentions Google News stays.
PROMOTION = re.compile(
    r"^\W*(?:ikuti|simak|cek|dapatkan|follow|gabung|bergabung)\b.{0,160}?"
    r"(?:google\s*news|breaking\s*news|berita\s+pilihan|informasi\s+terkini|berita\s+terkini|"
    r"whatsapp\s*channel|saluran\s+whatsapp|telegram)",
    re.IGNORECASE,
)

# Page furniture: "Halaman 1 dari 3", "1 2 3 Selanjutnya", "Page 2", lone page numbers and marks.
PAGE_FURNITURE = re.compile(
    r"^(?:[«‹<]+\s*)?(?:(?:sebelumnya|prev(?:ious)?)\s*)?(?:(?:halaman|page|hal\.?)\s*)?(?:\d+\s*)*"
    r"(?:(?:dari|of|/)\s*\d+\s*)?(?:selanjutnya|berikutnya|next)?\s*(?:[»›>]+)?$",
    re.IGNORECASE,
)

# Ad labels and end marks that stand alone in a paragraph.
LONE_MARK = re.compile(
    r"^(?:advertisement|iklan|ads?|scroll\s+to\s+continue\s+with\s+content|\(\s*\*+\s*\)|\*+|-+|"
    r"belitongekspres\.com)$",
    re.IGNORECASE,
)

# The lede's opening: "TANJUNGPANDAN, BELITONGEKSPRES.COM - " (hyphen, en/em dash, double hyphen).
DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z .'’-]*?[A-Z])\s*,\s*BELITONGEKSPRES\.COM\s*(?:-{1,2}|–|—)\s*",
)
# Some ledes carry the watermark without a place.
WATERMARK_OPENING = re.compile(r"^\s*BELITONGEKSPRES\.COM\s*(?:-{1,2}|–|—)\s*", re.IGNORECASE)


def is_boilerplate(paragraph: str) -> bool:
    """True for a paragraph the contract says `body` never holds."""
    text = paragraph.strip()
    if not text:
        return True
    return bool(
        RELATED_LABEL.match(text)
        or CREDIT_LINE.match(text)
        or PAGE_FURNITURE.match(text)
        or LONE_MARK.match(text)
        or (len(text) <= 240 and PROMOTION.match(text))
    )


def split_dateline(lede: str) -> tuple[str | None, str]:
    """Split ``PLACE, BELITONGEKSPRES.COM - text`` into (``PLACE``, ``text``)."""
    match = DATELINE.match(lede)
    if match:
        return match["place"].strip(), lede[match.end():]
    match = WATERMARK_OPENING.match(lede)
    if match:
        return None, lede[match.end():]
    return None, lede


_SPACE = re.compile(r"\s+")


def collapse_space(text: str) -> str:
    """Runs of whitespace (non-breaking spaces included) to one space, ends stripped."""
    return _SPACE.sub(" ", text.replace("\u00a0", " ")).strip()
