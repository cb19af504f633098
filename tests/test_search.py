"""Stemming for the archive's search: exactly Sastrawi's roots, through a bounded cache."""

from __future__ import annotations

import json
import random
import sys

from Sastrawi.Stemmer.Filter.TextNormalizer import normalize_text
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from belitong_crawler import search
from belitong_crawler.mirror_server import CURRENT_MIRROR_ROOT, MIRROR_ROOT
from belitong_crawler.search import _INNER_APOSTROPHE, STEM_CACHE_WORDS, stem_text, stem_word

# Sastrawi's own stemmer, with its own unbounded cache: what the archive used before.
SASTRAWI = StemmerFactory().create_stemmer()
ROOTS = [w for w in StemmerFactory().get_words() if w.isalpha()]


def sastrawi(text: str) -> str:
    return SASTRAWI.stem(_INNER_APOSTROPHE.sub("", text))


def mirror_texts() -> list[str]:
    texts = []
    for root in (MIRROR_ROOT, CURRENT_MIRROR_ROOT):
        for path in sorted((root.parent / "expected").glob("*.json")):
            article = json.loads(path.read_text("utf-8"))
            texts.append(f"{article['title'] or ''}\n{article['body'] or ''}")
    return texts


def test_the_same_roots_as_sastrawi_on_the_mirror_articles() -> None:
    texts = mirror_texts()
    assert len(texts) >= 24
    for text in texts:
        assert stem_text(text) == sastrawi(text)


def test_the_same_roots_as_sastrawi_on_word_forms_names_numbers_and_odd_text() -> None:
    rng = random.Random(11)
    prefixes = [
        "me",
        "mem",
        "men",
        "meng",
        "meny",
        "ber",
        "be",
        "di",
        "ter",
        "te",
        "pe",
        "pen",
        "per",
        "ke",
        "se",
        "kau",
        "ku",
        "",
    ]
    suffixes = ["kan", "an", "i", "nya", "lah", "kah", "tah", "pun", "ku", "mu", "isasi", "isme", ""]
    words = [rng.choice(prefixes) + rng.choice(ROOTS) + rng.choice(suffixes) for _ in range(3000)]
    words += [rng.choice(ROOTS).capitalize() + rng.choice(ROOTS)[:3] for _ in range(500)]  # names
    words += [str(rng.randrange(10 ** rng.randint(1, 12))) for _ in range(500)]  # numbers
    words += [
        "anak-anak",
        "berbalas-balasan",
        "malaikat-malaikat-nya",
        "meniru-nirukan",
        "Rp5",
        "2024an",
        "di123",
        "123kan",
        "-",
        "--",
        "ber-",
        "Jum'at",
        "Jum’at",
        "İstanbul",
        "ſekolah",
        "Kelvin",
        "ı",
        "café",
        "naïve",
        "\u00a0",
        "_",
        "a_b",
        "x\u0307",
    ]
    rng.shuffle(words)
    text = " ".join(words)
    assert stem_text(text) == sastrawi(text)
    for word in words:
        assert stem_text(word) == sastrawi(word), word
    for odd in ("", " ", "...", "\n\n", "—", "'", "a'", "'a"):
        assert stem_text(odd) == sastrawi(odd), repr(odd)


def test_normalisation_is_sastrawis_for_every_code_point() -> None:
    # Each character between two letters, so that what it turns into (a space, itself, several
    # characters after lower()) shows in the words.
    characters = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    text = "a".join(characters)
    ours = " ".join(search._NOT_KEPT.sub(" ", text.lower()).split())
    assert ours == normalize_text(text)
    assert " ".join(search.normal_words(text)) == ours


def test_the_byte_table_splits_as_the_expression_does() -> None:
    # The fast path of normal_words against the regular expression, character by character (each
    # between two letters and alone), on the mirror articles, and with the two letters it leaves
    # to the expression.
    texts = [*mirror_texts(), "aıb ſ", "İſtanbul café", "x\u0307y", "a—b", "\u00a0"]
    # every code point, lone surrogates too (JSON's "\ud800" escape makes them), between two letters
    # and alone, a few thousand to a text (each is read apart from its neighbours by the spaces)
    for first in range(0, sys.maxunicode + 1, 4096):
        codes = range(first, min(first + 4096, sys.maxunicode + 1))
        texts += [" ".join(f"a{chr(code)}b" for code in codes), " ".join(chr(code) for code in codes)]
    for text in texts:
        assert search.normal_words(text) == search._NOT_KEPT.sub(" ", text.lower()).split(), repr(text)


def test_the_cache_is_bounded() -> None:
    assert stem_word.cache_info().maxsize == STEM_CACHE_WORDS
    stem_text("berkampanye " + " ".join(str(n) for n in range(1000)))
    assert stem_word.cache_info().currsize <= STEM_CACHE_WORDS
