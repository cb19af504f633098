"""Full-text search over the archive, made for Indonesian.

SQLite FTS5 with the ``unicode61`` tokenizer (case and diacritics folded, no English stemmer: Porter
would mangle Indonesian) indexes title and body as written, and a third column holds the same text
reduced to root words by Sastrawi, the standard Indonesian stemmer. So ``kampanye`` also finds
*berkampanye* and *dikampanyekan*, ``kampa*`` is a prefix search, and ``"masa kampanye"`` a phrase.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

FTS_TABLE = "articles_fts"
FTS_SCHEMA = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, stems,"
    " tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"[^\w]+")


class QueryError(ValueError):
    """A search text that makes no query."""


@cache
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


_INNER_APOSTROPHE = re.compile(r"(?<=\w)['’`](?=\w)")


def stem_text(text: str) -> str:
    """The text's words reduced to their roots (``berkampanye`` -> ``kampanye``), an apostrophe inside
    a word dropped first (``Jum'at`` and ``Jumat`` are one word)."""
    return _stemmer().stem(_INNER_APOSTROPHE.sub("", text or ""))


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression for what a user typed: every word must match, as written or by its
    root; ``word*`` is a prefix; ``"a phrase"`` is a phrase."""
    parts = []
    for phrase, word in _QUERY_PART.findall(_INNER_APOSTROPHE.sub("", text or "")):
        if phrase:
            words = _WORD.sub(" ", phrase).strip()
            if words:
                parts.append(f'"{words}"')
            continue
        prefix = word.endswith("*")
        for piece in _WORD.sub(" ", word).split():
            if prefix:
                parts.append(f'"{piece}"*')
            else:
                root = stem_text(piece) or piece
                parts.append(f'("{piece}" OR stems : "{root}")')
    if not parts:
        raise QueryError(f"--query has no word to search for: {text!r}")
    return " AND ".join(parts)
