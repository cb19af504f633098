"""``python -m belitong_crawler export``: datasets for journalists, from the archive.

Filters (date window, category, tag, reporter, full-text query) select articles; they are written as
CSV (the same spreadsheet-safe exporter as the crawl's feeds), JSON or JSON Lines, to a file or
stdout. ``--summary DIR`` counts the selection per day, category and reporter, prints the counts,
writes them as CSV and draws articles per day as a PNG chart.
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, NoReturn

from scrapy.exporters import BaseItemExporter, JsonItemExporter, JsonLinesItemExporter

from belitong_crawler.archive import LIST_FIELDS, Archive, ArchiveError
from belitong_crawler.arguments import DateWindow
from belitong_crawler.dates import WIB, parse_date
from belitong_crawler.exporters import ArticleCsvItemExporter
from belitong_crawler.items import ARTICLE_FIELDS
from belitong_crawler.search import FTS_TABLE, QueryError, fts_query

DEFAULT_ARCHIVE = "output/belitong.sqlite"
EXPORTERS: dict[str, type[BaseItemExporter]] = {
    "csv": ArticleCsvItemExporter,
    "json": JsonItemExporter,
    "jsonl": JsonLinesItemExporter,
}
NONE_LABEL = "(none)"


class ExportError(Exception):
    """A user mistake: one line on stderr, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ExportError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m belitong_crawler export",
                     description="Write a dataset of archived articles, filtered.")
    parser.add_argument("--archive", default=DEFAULT_ARCHIVE, help=f"default {DEFAULT_ARCHIVE}")
    parser.add_argument("--since", help="published on or after this day (YYYY-MM-DD, WIB)")
    parser.add_argument("--until", help="published on or before this day (YYYY-MM-DD, WIB)")
    parser.add_argument("--category", help="category name, any case (e.g. 'Pilkada 2024')")
    parser.add_argument("--tag", help="tag name, any case")
    parser.add_argument("--reporter", help="reporter name, any case")
    parser.add_argument("--query", help='full-text search of title and body: words, word*, "a phrase"')
    parser.add_argument("--format", choices=sorted(EXPORTERS), help="default: --output's extension, else csv")
    parser.add_argument("--output", "-o", default=None, help="file to write, or - for stdout (the default)")
    parser.add_argument("--summary", metavar="DIR", type=Path,
                        help="print counts per day, category and reporter; write them and a chart to DIR")
    return parser


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise ExportError(f"--{name} must be a date as YYYY-MM-DD, got {value!r}") from None


def select_articles(archive: Archive, args: argparse.Namespace) -> list[dict]:
    """The archived articles that pass every filter, oldest first (undated last)."""
    window = DateWindow(_day(args.since, "since"), _day(args.until, "until"))
    if window.since and window.until and window.since > window.until:
        raise ExportError(f"--until {window.until} is before --since {window.since}")
    where: list[str] = []
    params: list[object] = []
    if window.start:
        where.append("julianday(published_at) >= julianday(?)")
        params.append(window.start.isoformat())
    if window.until:  # before the next day's midnight (23:59:59.999999 rounds up in julianday)
        where.append("julianday(published_at) < julianday(?)")
        params.append(datetime.combine(window.until + timedelta(days=1), time.min, WIB).isoformat())
    # "any case" for every alphabet: Python's casefold, not SQLite's ASCII-only NOCASE
    archive.db.create_function("casefold", 1, lambda v: v.casefold() if isinstance(v, str) else v,
                               deterministic=True)
    for name in ("category", "reporter"):
        if getattr(args, name) is not None:
            where.append(f"casefold({name}) = casefold(?)")
            params.append(getattr(args, name).strip())
    if args.tag is not None:
        where.append("EXISTS (SELECT 1 FROM json_each(articles.tags) WHERE casefold(value) = casefold(?))")
        params.append(args.tag.strip())
    if args.query is not None:
        if not archive.has_search:
            raise ExportError(f"--query needs the search index, which {archive.path} (schema version"
                              f" {archive.version}) lacks: run a crawl with it to upgrade it")
        try:
            match = fts_query(args.query)
        except QueryError as error:
            raise ExportError(str(error)) from None
        where.append(f"article_id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)")
        params.append(match)
    sql = "SELECT * FROM articles" + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY published_at IS NULL, julianday(published_at), article_id"
    try:
        rows = archive.db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as error:
        raise ExportError(f"--query {args.query!r} cannot be searched: {error}") from None
    articles = []
    for row in rows:
        article = {name: row[name] for name in ARTICLE_FIELDS}
        for name in LIST_FIELDS:
            article[name] = Archive.decode_list(article[name])
        articles.append(article)
    return articles


def write_dataset(articles: Iterable[dict], stream: IO[bytes], fmt: str) -> int:
    options = {"indent": 2} if fmt == "json" else {}
    exporter = EXPORTERS[fmt](stream, fields_to_export=list(ARTICLE_FIELDS), encoding="utf-8", **options)
    exporter.start_exporting()
    count = 0
    for article in articles:
        exporter.export_item(article)
        count += 1
    exporter.finish_exporting()
    return count


def summarize(articles: list[dict]) -> dict[str, list[tuple[str, int]]]:
    """Article counts per WIB day (every day of the span, zeros included), category and reporter."""
    days: Counter[str] = Counter()
    for article in articles:
        when = parse_date(article["published_at"]) if article["published_at"] else None
        days[when.astimezone(WIB).date().isoformat() if when else NONE_LABEL] += 1
    dated = sorted(d for d in days if d != NONE_LABEL)
    per_day = []
    if dated:
        day, last = date.fromisoformat(dated[0]), date.fromisoformat(dated[-1])
        while day <= last:
            per_day.append((day.isoformat(), days[day.isoformat()]))
            day += timedelta(days=1)
    if days[NONE_LABEL]:
        per_day.append((NONE_LABEL, days[NONE_LABEL]))

    def ranked(name: str) -> list[tuple[str, int]]:
        counts = Counter(article[name] or NONE_LABEL for article in articles)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))

    return {"day": per_day, "category": ranked("category"), "reporter": ranked("reporter")}


def write_summary(summary: dict[str, list[tuple[str, int]]], folder: Path, out: IO[str]) -> None:
    """Write the counts and the chart to ``folder``, then print the counts (nothing printed when the
    folder cannot be written)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for key, rows in summary.items():
            with (folder / f"per_{key}.csv").open("w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow([key, "articles"])
                writer.writerows(rows)
        draw_per_day(summary["day"], folder / "articles_per_day.png")
    except OSError as error:
        raise ExportError(f"cannot write the summary to {folder}: {error.strerror or error}") from None
    for key, rows in summary.items():
        print(f"Articles per {key}:", file=out)
        width = max((len(label) for label, _ in rows), default=0)
        for label, count in rows:
            print(f"  {label:<{width}}  {count:>5}", file=out)
    print(f"Summary written to {folder}/ (per_day.csv, per_category.csv, per_reporter.csv, "
          "articles_per_day.png)", file=out)


def draw_per_day(per_day: list[tuple[str, int]], path: Path) -> None:
    """A bar chart of articles per day: coverage at a glance."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    days = [(d, n) for d, n in per_day if d != NONE_LABEL]
    figure, axes = pyplot.subplots(figsize=(max(6.0, 0.35 * len(days) + 2), 4), dpi=100)
    axes.bar([d for d, _ in days], [n for _, n in days], color="#1f6f8b")
    axes.set_title("Articles per day")
    axes.set_ylabel("articles")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.tick_params(axis="x", labelrotation=60, labelsize=8)
    figure.tight_layout()
    figure.savefig(path)
    pyplot.close(figure)


def main(argv: list[str] | None = None) -> int:
    """Every mistake (a bad value, a file that is no archive, an output that cannot be written, a
    reader that went away) is one line on stderr and exit code 2."""
    try:
        return run(argv)
    except ExportError as error:
        return fail(str(error))
    except BrokenPipeError:  # `export ... | head -1`: the reader has gone
        # stdout to /dev/null, so that Python's own flush at exit has no closed pipe to write to
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return fail("the output was closed before the export was written in full (broken pipe)")


def fail(message: str) -> int:
    print(f"export: error: {message}", file=sys.stderr)
    return 2


def run(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    to_file = args.output not in (None, "-")
    fmt = args.format or (Path(args.output).suffix.lstrip(".").lower() if to_file else "csv")
    if fmt not in EXPORTERS:
        raise ExportError(f"cannot tell the format of {args.output!r}; give --format csv, json or jsonl")
    try:
        archive = Archive(args.archive, read_only=True)  # never written, upgraded or created
    except ArchiveError as error:
        raise ExportError(str(error)) from None
    try:
        articles = select_articles(archive, args)
    finally:
        archive.close()
    if args.summary is not None:
        write_summary(summarize(articles), args.summary, sys.stdout)
    if args.output is None and args.summary is not None:
        return 0
    if not to_file:
        count = write_dataset(articles, sys.stdout.buffer, fmt)
        sys.stdout.buffer.flush()
    else:
        try:
            with open(args.output, "wb") as stream:
                count = write_dataset(articles, stream, fmt)
        except OSError as error:
            raise ExportError(f"cannot write {args.output}: {error.strerror or error}") from None
    print(f"Exported {count} article(s) as {fmt} to {args.output or 'stdout'}", file=sys.stderr)
    return 0
