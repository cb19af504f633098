"""Datasets of articles as CSV, JSON or JSON Lines, written without Scrapy.

The export command writes plain dicts read back from the archive. It writes them here, byte for byte
as the crawl's feed exporters write the same articles (Scrapy's ``JsonItemExporter`` and
``JsonLinesItemExporter``, and ``exporters.ArticleCsvItemExporter`` for CSV, each as the export
command configures them), so that the command never imports Scrapy: it starts in a fraction of a
second. ``tests/test_export.py`` checks every format against Scrapy's exporters, byte for byte.

The CSV rules (``spreadsheet_safe``, the list separator) live here, and ``exporters.py`` applies them
to the crawl's feeds.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

FORMATS = ("csv", "json", "jsonl")
LIST_SEPARATOR = " | "
# A cell that opens with one of these would run as a formula in a spreadsheet program (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_ENCODING = "utf-8-sig"  # with a byte-order mark, so that Excel reads UTF-8


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe before a would-be formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell(value: Any) -> Any:
    """A value as its CSV cell: a list joined by `` | ``, a would-be formula made text, None left to
    the csv module (an empty cell); what ``ArticleCsvItemExporter`` makes of a field without a
    serializer of its own."""
    if isinstance(value, (list, tuple)):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, str):
        return spreadsheet_safe(value)
    if isinstance(value, bytes):
        return value.decode(CSV_ENCODING)
    return value


def write_articles(
    articles: Iterable[Mapping[str, Any]], stream: IO[bytes], fmt: str, fields: Sequence[str]
) -> int:
    """Write ``articles`` (their ``fields``, in that order) to ``stream`` as ``fmt``; the count."""
    if fmt == "csv":
        return _write_csv(articles, stream, fields)
    if fmt == "jsonl":
        encoder = json.JSONEncoder(ensure_ascii=False)
        count = 0
        for article in articles:
            stream.write((encoder.encode(_present(article, fields)) + "\n").encode("utf-8"))
            count += 1
        return count
    if fmt == "json":
        encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
        stream.write(b"[\n")
        count = 0
        for article in articles:
            data = encoder.encode(_present(article, fields)).encode("utf-8")
            stream.write(b",\n" + data if count else data)
            count += 1
        stream.write(b"\n]")
        return count
    raise ValueError(f"unknown format {fmt!r}")


def _present(article: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """The fields the article has, in ``fields``' order (Scrapy's JSON exporters leave out the rest)."""
    return {name: article[name] for name in fields if name in article}


def _write_csv(articles: Iterable[Mapping[str, Any]], stream: IO[bytes], fields: Sequence[str]) -> int:
    # As Scrapy's CsvItemExporter: a text layer made before anything is written (so the byte-order
    # mark comes first, and only at the start of a file), the header line with the first row (no
    # rows, no bytes at all), a missing field an empty cell.
    text = io.TextIOWrapper(
        stream, line_buffering=False, write_through=True, encoding=CSV_ENCODING, newline=""
    )
    writer = csv.writer(text)
    count = 0
    for article in articles:
        if not count:
            writer.writerow(fields)
        writer.writerow([csv_cell(article[name]) if name in article else "" for name in fields])
        count += 1
    text.detach()  # the stream stays open: it is the caller's
    return count
