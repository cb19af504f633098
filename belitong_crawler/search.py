"""Full-text search over the archive, made for Indonesian.

SQLite FTS5 with the ``unicode61`` tokenizer (case and diacritics folded, no English stemmer: Porter
would mangle Indonesian) indexes title and body as written, and a third column holds the same text
reduced to root words by Sastrawi, the standard Indonesian stemmer. So ``kampanye`` also finds
*berkampanye* and *dikampanyekan*, ``kampa*`` is a prefix search, and ``"masa kampanye"`` a phrase.

Stemming is Sastrawi's, word by word, through a bounded cache of our own: Sastrawi's own
``CachedStemmer`` keeps every word it ever saw, so a long first crawl grew by every new name and
number it read.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

FTS_TABLE = "articles_fts"
# The index of schema versions 2 to 6, which held its own copy of title, body and stems (kept for
# the migrations that made it; never changed).
FTS_SCHEMA_V2 = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, stems,"
    " tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)
# From version 7 the index holds no text: title and body are read from ``articles``, the stems from
# ``article_stems``, both through the ``articles_search`` view (external content). The index must be
# told of every change: ``Archive.store`` deletes an article's old entry (with its old values) and
# inserts the new one in the same transaction as the row itself.
STEMS_TABLE = "article_stems"
SEARCH_VIEW = "articles_search"
SEARCH_VIEW_SCHEMA = (
    f"CREATE VIEW {SEARCH_VIEW} AS SELECT articles.article_id, articles.title, articles.body,"
    f" {STEMS_TABLE}.stems FROM articles LEFT JOIN {STEMS_TABLE} USING (article_id)"
)
# No prefix indexes (version 2 had them for 2 and 3 letters): they doubled the index and a third of
# the time to write an article; ``kampa*`` finds the same articles without them, a little slower
# (tens of milliseconds at 20,000 articles; a two-letter prefix a few hundred).
FTS_SCHEMA = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, stems,"
    f" content = '{SEARCH_VIEW}', content_rowid = 'article_id',"
    " tokenize = 'unicode61 remove_diacritics 2')"
)
# Distinct words whose roots are kept (about 20 MB when full): the common vocabulary many times
# over; a rare word (a name, a number) that dropped out is stemmed again if it comes back (about
# 0.5 ms: Sastrawi's rules are slow).
STEM_CACHE_WORDS = 100_000
_WORD = re.compile(r"[^\w]+")


class QueryError(ValueError):
    """A search text that makes no query."""


@cache
def _stemmer() -> Any:
    """Sastrawi's stemmer without its unbounded cache (what ``StemmerFactory.create_stemmer`` wraps)."""
    from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
    from Sastrawi.Stemmer.Stemmer import Stemmer
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return Stemmer(ArrayDictionary(StemmerFactory().get_words()))


@lru_cache(maxsize=STEM_CACHE_WORDS)
def stem_word(word: str) -> str:
    """The root of one normalised word, exactly as Sastrawi's ``CachedStemmer`` gives it."""
    if word.isdigit():  # no affix rule matches a number: Sastrawi returns it as it is, slowly
        return word
    return _stemmer().stem(word)


_INNER_APOSTROPHE = re.compile(r"(?<=\w)['’`](?=\w)")
# Sastrawi's normalisation (``TextNormalizer.normalize_text``: lower case, every character but
# ``[a-z0-9 -]`` to a space, matched case-insensitively) in one pass: after ``lower()``, the only
# other characters that class keeps are dotless i and long s. tests/test_search.py checks every
# code point.
_NOT_KEPT = re.compile(r"[^a-z0-9 \-ıſ]+")


def stem_text(text: str) -> str:
    """The text's words reduced to their roots (``berkampanye`` -> ``kampanye``), an apostrophe inside
    a word dropped first (``Jum'at`` and ``Jumat`` are one word). The same as Sastrawi's
    ``StemmerFactory().create_stemmer().stem``: its normalisation, then each word's root."""
    text = text or ""
    if "'" in text or "’" in text or "`" in text:  # the regular expression is slow; most texts skip it
        text = _INNER_APOSTROPHE.sub("", text)
    return " ".join(map(stem_word, normal_words(text) or [""]))


# Every byte but those of ``[a-z0-9 -]`` to a space: the UTF-8 bytes of any other character (all of
# them >= 0x80) become spaces too, which is what ``_NOT_KEPT`` makes of such a character.
_KEPT_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789 -")
_BYTES_TO_SPACE = bytes(byte if byte in _KEPT_BYTES else 0x20 for byte in range(256))


def normal_words(text: str) -> list[str]:
    """The words of Sastrawi's normalisation of ``text``. The regular expression took most of the
    time to stem an article whose words are cached; a byte table does the same in a fraction of it,
    for any text without the two non-ASCII letters the expression keeps (dotless i, long s)."""
    lowered = text.lower()
    if "ı" in lowered or "ſ" in lowered:
        return _NOT_KEPT.sub(" ", lowered).split()
    return lowered.encode("utf-8", "surrogatepass").translate(_BYTES_TO_SPACE).decode("ascii").split()


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression for what a user typed, in the one search language of ``export
    --query`` and of Datasette's search box (see datasette_plugin.py):

    - words: every one must match, as written or by its root (``berkampanye`` finds *kampanye*);
    - ``a OR b``: either (binds tighter than the spaces between words: ``banjir OR longsor desa``);
    - ``-word`` (or ``-"a phrase"``): articles with it are left out;
    - ``word*``: words that begin so; ``"a phrase"``: the words in that order, as written.

    Raises ``QueryError`` with a message for a person when the text makes no query."""
    shown = " ".join((text or "").split())
    cleaned = _INNER_APOSTROPHE.sub("", text or "").replace("\u201c", '"').replace("\u201d", '"')
    if cleaned.count('"') % 2:
        raise QueryError(f"a quotation mark is not closed: {shown!r}")
    groups: list[list[str]] = []  # positive terms, OR-ed within a group, groups AND-ed
    excluded: list[str] = []
    joining = False  # the last token was OR
    for negated, phrase, word in _QUERY_TOKEN.findall(cleaned):
        if word == "OR" and not negated:
            if not groups or joining:
                raise QueryError(f"OR must stand between two words or phrases: {shown!r}")
            joining = True
            continue
        term = _phrase_term(phrase) if phrase else _word_term(word) if word else None
        if term is None:
            continue  # punctuation only
        if negated:
            excluded.append(term)
        elif joining:
            groups[-1].append(term)
        else:
            groups.append([term])
        joining = False
    if joining:
        raise QueryError(f"OR must stand between two words or phrases: {shown!r}")
    if not groups:
        if excluded:
            raise QueryError(f"a search needs a word to find, not only words to leave out: {shown!r}")
        raise QueryError(f"no word to search for: {shown!r}")
    query = " AND ".join(f"({' OR '.join(group)})" for group in groups)
    if excluded:
        query = f"({query}) NOT ({' OR '.join(excluded)})"
    return query


# A token: an optional minus, then a quoted phrase or a run of other characters.
_QUERY_TOKEN = re.compile(r'(-?)(?:"([^"]*)"|([^\s"]+))')


def _phrase_term(phrase: str) -> str | None:
    words = _WORD.sub(" ", phrase).strip()
    return f'"{words}"' if words else None


def _word_term(word: str) -> str | None:
    """One typed word (``covid-19`` is two, both required); ``word*`` a prefix."""
    prefix = word.endswith("*")
    pieces = _WORD.sub(" ", word).split()
    if not pieces:
        return None
    if prefix:
        terms = [f'"{piece}"*' for piece in pieces]
    else:
        terms = [f'("{piece}" OR stems : "{stem_text(piece) or piece}")' for piece in pieces]
    return terms[0] if len(terms) == 1 else "(" + " AND ".join(terms) + ")"
