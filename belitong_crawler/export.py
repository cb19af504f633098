"""``python -m belitong_crawler export``: datasets for journalists, from the archive.

Filters (date window, category, tag, reporter, full-text query) select articles; they are written as
CSV (the spreadsheet-safe rules and the very bytes of the crawl's feeds: writers.py), JSON or JSON
Lines, to a file or stdout, one row at a time from the archive (memory does not grow with the
archive). ``--summary DIR`` counts the selection per day, category and reporter in SQL, prints the
counts, writes them as CSV and draws them as a PNG chart of about 60 bars at most (per day, week,
month or year, by the span).

The command never imports Scrapy, and imports matplotlib only to draw a summary's chart: it starts
in a fraction of a second.
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import sys
import textwrap
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, NoReturn

from belitong_crawler.archive import LIST_FIELDS, UTC_SQL, Archive, ArchiveError
from belitong_crawler.arguments import DateWindow
from belitong_crawler.dates import WIB
from belitong_crawler.items import ARTICLE_FIELDS
from belitong_crawler.paths import in_project
from belitong_crawler.search import FTS_TABLE, QueryError, fts_query
from belitong_crawler.writers import FORMATS, write_articles

DEFAULT_ARCHIVE = "output/belitong.sqlite"
NONE_LABEL = "(none)"


class ExportError(Exception):
    """A user mistake: one line on stderr, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ExportError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m belitong_crawler export",
        description="Write a dataset of archived articles, filtered.",
    )
    parser.add_argument(
        "--archive",
        default=None,
        help=f"default {DEFAULT_ARCHIVE} in the project folder (that of scrapy.cfg)",
    )
    parser.add_argument("--since", help="published on or after this day (YYYY-MM-DD, WIB)")
    parser.add_argument("--until", help="published on or before this day (YYYY-MM-DD, WIB)")
    parser.add_argument("--category", help="category name, any case (e.g. 'Pilkada 2024')")
    parser.add_argument("--tag", help="tag name, any case")
    parser.add_argument("--reporter", help="reporter name, any case")
    parser.add_argument("--query", help='full-text search of title and body: words, word*, "a phrase"')
    parser.add_argument("--format", choices=sorted(FORMATS), help="default: --output's extension, else csv")
    parser.add_argument("--output", "-o", default=None, help="file to write, or - for stdout (the default)")
    parser.add_argument(
        "--summary",
        metavar="DIR",
        type=Path,
        help="print counts per day, category and reporter; write them and a chart to DIR",
    )
    return parser


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise ExportError(f"--{name} must be a date as YYYY-MM-DD, got {value!r}") from None


class Selection:
    """The articles that pass every filter, as SQL over ``articles`` (checked before anything is read
    or written): streamed oldest first, or counted per day, category or reporter."""

    def __init__(self, archive: Archive, args: argparse.Namespace) -> None:
        self.archive = archive
        self.args = args
        self.window = DateWindow(_day(args.since, "since"), _day(args.until, "until"))
        window = self.window
        if window.since and window.until and window.since > window.until:
            raise ExportError(f"--until {window.until} is before --since {window.since}")
        # published time in UTC, sortable: an indexed column, or computed in an archive older than
        # schema version 5 (read as it is)
        self.when = archive.published_utc
        self.where: list[str] = []
        self.params: list[object] = []
        if window.start:
            self.where.append(f"{self.when} >= {UTC_SQL.format('?')}")
            self.params.append(window.start.isoformat())
        if window.until:  # before the next day's midnight, WIB
            self.where.append(f"{self.when} < {UTC_SQL.format('?')}")
            self.params.append(datetime.combine(window.until + timedelta(days=1), time.min, WIB).isoformat())
        # "any case" for every alphabet: Python's casefold, not SQLite's ASCII-only NOCASE
        archive.db.create_function(
            "casefold", 1, lambda v: v.casefold() if isinstance(v, str) else v, deterministic=True
        )
        for name in ("category", "reporter"):
            if getattr(args, name) is not None:
                self.where.append(f"casefold({name}) = casefold(?)")
                self.params.append(getattr(args, name).strip())
        if args.tag is not None:
            self.where.append(
                "EXISTS (SELECT 1 FROM json_each(articles.tags) WHERE casefold(value) = casefold(?))"
            )
            self.params.append(args.tag.strip())
        if args.query is not None:
            if not archive.has_search:
                raise ExportError(
                    f"--query needs the search index, which {archive.path} (schema version"
                    f" {archive.version}) lacks: run a crawl with it to upgrade it"
                )
            try:
                match = fts_query(args.query)
            except QueryError as error:
                raise ExportError(f"--query: {error}") from None
            self.where.append(f"article_id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?)")
            self.params.append(match)

    def _execute(self, columns: str, condition: str | None = None, rest: str = "") -> sqlite3.Cursor:
        where = [*self.where, condition] if condition else self.where
        sql = f"SELECT {columns} FROM articles" + (" WHERE " + " AND ".join(where) if where else "") + rest
        try:
            return self.archive.db.execute(sql, self.params)
        except sqlite3.OperationalError as error:
            raise ExportError(f"--query {self.args.query!r} cannot be searched: {error}") from None

    def articles(self) -> Iterator[dict]:
        """The articles, oldest first (by the published time's index), then the undated ones: one row
        at a time from the cursor, never all of them in memory."""
        dated = self._execute("*", f"{self.when} IS NOT NULL", f" ORDER BY {self.when}, article_id")
        try:
            first = dated.fetchone()  # a bad search shows here, before any output is written
        except sqlite3.OperationalError as error:
            raise ExportError(f"--query {self.args.query!r} cannot be searched: {error}") from None
        return self._stream(first, dated)

    def _stream(self, first: sqlite3.Row | None, dated: sqlite3.Cursor) -> Iterator[dict]:
        if first is not None:
            yield _article(first)
        yield from map(_article, dated)
        if not self.window.is_set:  # no date can be in a window
            yield from map(_article, self._execute("*", f"{self.when} IS NULL", " ORDER BY article_id"))

    def counts(self, expression: str) -> Iterator[tuple[object, int]]:
        """(value, articles) for each value ``expression`` takes over the selection, counted by SQLite."""
        yield from self._execute(f"{expression}, count(*)", rest=f" GROUP BY {expression}")

    def describe(self) -> str:
        """The filters, as a chart's title shows them: ``category=Ekonomi, query="kampanye"``."""
        parts = [
            f"{name}={getattr(self.args, name).strip()}"
            for name in ("category", "tag", "reporter")
            if getattr(self.args, name) is not None
        ]
        if self.args.query is not None:
            parts.append(f'query="{self.args.query.strip()}"')
        return ", ".join(parts)


def _article(row: sqlite3.Row) -> dict:
    article = {name: row[name] for name in ARTICLE_FIELDS}
    for name in LIST_FIELDS:
        article[name] = Archive.decode_list(article[name])
    return article


def write_dataset(articles: Iterable[dict], stream: IO[bytes], fmt: str) -> int:
    """The articles as ``fmt``, byte for byte as the crawl's feed exporters write them (JSON indented
    by 2, UTF-8; CSV by the spreadsheet-safe rules); the count."""
    return write_articles(articles, stream, fmt, ARTICLE_FIELDS)


def summarize(selection: Selection) -> dict[str, list[tuple[str, int]]]:
    """Article counts per WIB day (every day of the span, zeros included), category and reporter,
    counted in SQL: no article is read into memory."""
    days: Counter[str] = Counter()
    for day, count in selection.counts(f"date({selection.when}, '+7 hours')"):  # the WIB day
        days[day or NONE_LABEL] += count
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
        counts: Counter[str] = Counter()
        for value, count in selection.counts(name):
            counts[value or NONE_LABEL] += count
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold()))

    return {"day": per_day, "category": ranked("category"), "reporter": ranked("reporter")}


def write_summary(
    summary: dict[str, list[tuple[str, int]]], folder: Path, out: IO[str], selection: Selection
) -> None:
    """Write the counts and the chart to ``folder``, then print the counts (nothing printed when the
    folder cannot be written)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for key, rows in summary.items():
            with (folder / f"per_{key}.csv").open("w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle)
                writer.writerow([key, "articles"])
                writer.writerows(rows)
        draw_per_day(
            summary["day"],
            folder / "articles_per_day.png",
            selection.describe(),
            selection.window.since,
            selection.window.until,
        )
    except OSError as error:
        raise ExportError(f"cannot write the summary to {folder}: {error.strerror or error}") from None
    for key, rows in summary.items():
        print(f"Articles per {key}:", file=out)
        width = max((len(label) for label, _ in rows), default=0)
        for label, count in rows:
            print(f"  {label:<{width}}  {count:>5}", file=out)
    print(
        f"Summary written to {folder}/ (per_day.csv, per_category.csv, per_reporter.csv, "
        "articles_per_day.png)",
        file=out,
    )


MAX_BARS = 60  # a chart a person can read: about 60 bars at most, whatever the span


def chart_bins(first: date, last: date) -> tuple[str, list[date]]:
    """The bin ("day", "week", "month" or "year") that draws ``first``..``last`` in at most about
    ``MAX_BARS`` bars, and the first day of each bin (weeks start on Monday)."""
    for unit in ("day", "week", "month", "year"):
        starts = [_bin_start(first, unit)]
        while True:
            following = _next_bin(starts[-1], unit)
            if following > last:
                break
            starts.append(following)
            if len(starts) > MAX_BARS:
                break
        if len(starts) <= MAX_BARS or unit == "year":
            return unit, starts
    raise AssertionError("unreachable")


def _bin_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return day.replace(month=1, day=1)
    return day


def _next_bin(start: date, unit: str) -> date:
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def _bin_label(start: date, unit: str) -> str:
    return {
        "day": start.isoformat(),
        "week": start.isoformat(),
        "month": f"{start:%Y-%m}",
        "year": f"{start:%Y}",
    }[unit]


def chart_title(unit: str, filters: str, first: date, last: date, undated: int = 0) -> str:
    """``Articles per week, category=Ekonomi, 2024-01-01..2024-12-31``."""
    title = ", ".join(part for part in (f"Articles per {unit}", filters, f"{first}..{last}") if part)
    return title + (f" (and {undated} undated)" if undated else "")


def draw_per_day(
    per_day: list[tuple[str, int]],
    path: Path,
    filters: str = "",
    since: date | None = None,
    until: date | None = None,
) -> None:
    """A bar chart of articles per day, week, month or year (whichever keeps it to about 60 bars)
    over the window asked for (else the days that have articles), at a fixed size; its title says the
    bin, the filters and the span."""
    # The figure drawn straight on Agg's canvas, without pyplot (its import and its figure manager
    # are a third of the time of a small summary).
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    counts = {date.fromisoformat(d): n for d, n in per_day if d != NONE_LABEL}
    undated = sum(n for d, n in per_day if d == NONE_LABEL)
    first = since or min(counts, default=until or date.today())
    last = until or max(counts, default=first)
    last = max(last, first)
    unit, starts = chart_bins(first, last)
    bars = [0] * len(starts)
    index = {start: i for i, start in enumerate(starts)}
    for day, n in counts.items():
        bars[index[_bin_start(day, unit)]] += n
    title = chart_title(unit, filters, first, last, undated)
    figure = Figure(figsize=(10, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    axes.bar(range(len(bars)), bars, color="#1f6f8b")
    axes.set_title("\n".join(textwrap.wrap(title, 110)), fontsize=10)
    axes.set_ylabel("articles")
    axes.yaxis.get_major_locator().set_params(integer=True)
    step = max(1, -(-len(starts) // 15))  # at most 15 labels
    axes.set_xticks(range(0, len(starts), step), [_bin_label(s, unit) for s in starts[::step]])
    axes.set_xlim(-0.75, len(starts) - 0.25)
    axes.tick_params(axis="x", labelrotation=60, labelsize=8)
    figure.tight_layout()
    figure.savefig(path)


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
    if fmt not in FORMATS:
        raise ExportError(f"cannot tell the format of {args.output!r}; give --format csv, json or jsonl")
    try:
        archive = Archive(args.archive or in_project(DEFAULT_ARCHIVE), read_only=True)  # never written
    except ArchiveError as error:
        raise ExportError(str(error)) from None
    try:  # open until the last row is written: rows are streamed, never all held in memory
        selection = Selection(archive, args)
        if args.summary is not None:
            write_summary(summarize(selection), args.summary, sys.stdout, selection)
        if args.output is None and args.summary is not None:
            return 0
        articles = selection.articles()
        if not to_file:
            count = write_dataset(articles, sys.stdout.buffer, fmt)
            sys.stdout.buffer.flush()
        else:
            try:
                with open(args.output, "wb") as stream:
                    count = write_dataset(articles, stream, fmt)
            except OSError as error:
                raise ExportError(f"cannot write {args.output}: {error.strerror or error}") from None
    finally:
        archive.close()
    print(f"Exported {count} article(s) as {fmt} to {args.output or 'stdout'}", file=sys.stderr)
    return 0
