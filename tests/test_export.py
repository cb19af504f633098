"""``python -m belitong_crawler export`` on an archive made by a real crawl of the mirror, and the
archive in Datasette."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from belitong_crawler.dates import WIB
from belitong_crawler.mirror_server import MIRROR_ROOT, MirrorServer
from tests.conftest import PROJECT_ROOT, run_crawl
from tests.forkserver import ModuleProcess

EXPECTED = {
    a["article_id"]: a
    for a in (json.loads(p.read_text("utf-8")) for p in (MIRROR_ROOT.parent / "expected").glob("*.json"))
}
ALL = sorted(EXPECTED)


def ids_where(test) -> list[int]:
    return sorted(i for i, a in EXPECTED.items() if test(a))


def day(article: dict) -> str | None:
    if not article["published_at"]:
        return None
    return datetime.fromisoformat(article["published_at"]).astimezone(WIB).date().isoformat()


@pytest.fixture(scope="module")
def archive(mirror: MirrorServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    path = folder / "belitong.sqlite"
    result = run_crawl(
        folder / "crawl.json", "-a", f"base_url={mirror.origin}", settings=(f"BELITONG_ARCHIVE={path}",)
    )
    assert result.returncode == 0, result.log[-3000:]
    return path


def export(archive: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m belitong_crawler export --archive ARCHIVE ARGS`` to its end (a fork of the tests'
    preloaded interpreter: forkserver.py; the tests of start-up, pipes and imports start their own)."""
    command = ["export", "--archive", str(archive), *args]
    return ModuleProcess("belitong_crawler", command, PROJECT_ROOT, stderr_apart=True).result(120)


def exported_ids(archive: Path, *args: str) -> list[int]:
    done = export(archive, "--format", "jsonl", *args)
    assert done.returncode == 0, done.stderr.decode()
    return [json.loads(line)["article_id"] for line in done.stdout.decode("utf-8").splitlines()]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), ALL),
        (("--since", "2024-10-01"), ids_where(lambda a: day(a) and day(a) >= "2024-10-01")),
        (("--until", "2024-09-27"), ids_where(lambda a: day(a) and day(a) <= "2024-09-27")),
        (("--since", "2024-10-02", "--until", "2024-10-02"), ids_where(lambda a: day(a) == "2024-10-02")),
        (("--category", "pilkada 2024"), ids_where(lambda a: a["category"] == "Pilkada 2024")),
        (("--tag", "PILKADA BELITUNG"), ids_where(lambda a: "Pilkada Belitung" in a["tags"])),
        (("--reporter", "Dodi Pratama"), ids_where(lambda a: a["reporter"] == "Dodi Pratama")),
        (("--query", "nelayan"), [52447, 52455]),
        # Indonesian forms: "berkampanye" is found by its root in articles that only say "kampanye".
        (("--query", "berkampanye"), [52280, 52296, 52431, 52447]),
        (("--query", "kampa*"), [52280, 52296, 52431, 52447]),
        (("--query", '"masa kampanye" ASN'), [52431]),
        (("--query", "kampanye", "--reporter", "rizal maulana"), [52296, 52447]),
        (
            ("--category", "Pilkada 2024", "--tag", "Pilkada Belitung", "--since", "2024-10-01"),
            ids_where(
                lambda a: (
                    a["category"] == "Pilkada 2024"
                    and "Pilkada Belitung" in a["tags"]
                    and day(a)
                    and day(a) >= "2024-10-01"
                )
            ),
        ),
        (("--query", "kampanye", "--since", "2024-10-01", "--until", "2024-10-01"), [52431, 52447]),
        (("--reporter", "Nobody"), []),
    ],
)
def test_filters(archive: Path, args: tuple[str, ...], expected: list[int]) -> None:
    assert sorted(exported_ids(archive, *args)) == expected
    assert expected or args == ("--reporter", "Nobody")


def test_published_order_and_every_field_in_json(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "pilkada.json"
    done = export(archive, "--category", "Pilkada 2024", "--output", str(out))
    assert done.returncode == 0
    assert b"Exported 6 article(s) as json" in done.stderr
    items = json.loads(out.read_text("utf-8"))
    dates = [datetime.fromisoformat(i["published_at"]) for i in items]
    assert dates == sorted(dates)
    for item in items:
        expected = EXPECTED[item["article_id"]]
        for name in ("title", "body", "tags", "reporter", "word_count", "pages", "date_text", "dateline"):
            assert item[name] == expected[name]
        assert item["revision"] == 1


def test_csv_and_jsonl_files(archive: Path, tmp_path: Path) -> None:
    assert export(archive, "--tag", "Pilkada Belitung", "-o", str(tmp_path / "a.csv")).returncode == 0
    raw = (tmp_path / "a.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert sorted(int(r["article_id"]) for r in rows) == ids_where(lambda a: "Pilkada Belitung" in a["tags"])
    seed_like = next(r for r in rows if r["article_id"] == "52280")
    assert seed_like["body"] == EXPECTED[52280]["body"]
    assert seed_like["tags"] == " | ".join(EXPECTED[52280]["tags"])
    assert export(archive, "--reporter", "Dodi Pratama", "-o", str(tmp_path / "b.jsonl")).returncode == 0
    lines = (tmp_path / "b.jsonl").read_text("utf-8").splitlines()
    assert sorted(json.loads(line)["article_id"] for line in lines) == ids_where(
        lambda a: a["reporter"] == "Dodi Pratama"
    )


@pytest.mark.parametrize("output", [(), ("-o", "-")])
def test_csv_to_stdout(archive: Path, output: tuple[str, ...]) -> None:
    done = export(archive, "--query", "nelayan", *output)
    assert done.returncode == 0
    text = done.stdout.decode("utf-8-sig")
    assert sorted(int(r["article_id"]) for r in csv.DictReader(io.StringIO(text, newline=""))) == [
        52447,
        52455,
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "last week"), "--since must be a date as YYYY-MM-DD"),
        (("--until", "2024-02-30"), "--until must be a date as YYYY-MM-DD"),
        (("--since", "2024-10-05", "--until", "2024-10-01"), "is before --since"),
        (("--query", "  ** "), "--query: no word to search for"),
        (("--format", "xlsx"), "argument --format: invalid choice"),
        (("--output", "out.xlsx"), "cannot tell the format of 'out.xlsx'"),
        (("--colour", "red"), "unrecognized arguments: --colour"),
    ],
)
def test_bad_values_one_line_exit_2(archive: Path, args: tuple[str, ...], message: str) -> None:
    done = export(archive, *args)
    assert done.returncode == 2
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("export: error: ") and message in lines[0], lines
    assert done.stdout == b""


def test_missing_archive(tmp_path: Path) -> None:
    done = export(tmp_path / "none.sqlite")
    assert done.returncode == 2
    assert done.stderr.decode().startswith("export: error: no archive at ")


def test_summary_counts_csv_and_chart(archive: Path, tmp_path: Path) -> None:
    folder = tmp_path / "summary"
    done = export(archive, "--since", "2024-09-30", "--summary", str(folder))
    assert done.returncode == 0, done.stderr.decode()
    selected = [a for a in EXPECTED.values() if day(a) and day(a) >= "2024-09-30"]
    per_day = {
        d: sum(1 for a in selected if day(a) == d)
        for d in ("2024-09-30", "2024-10-01", "2024-10-02", "2024-10-03", "2024-10-04")
    }
    with (folder / "per_day.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert [(r["day"], int(r["articles"])) for r in csv.DictReader(handle)] == list(per_day.items())
    with (folder / "per_reporter.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = {r["reporter"]: int(r["articles"]) for r in csv.DictReader(handle)}
    expected_reporters: dict[str, int] = {}
    for a in selected:
        expected_reporters[a["reporter"] or "(none)"] = (
            expected_reporters.get(a["reporter"] or "(none)", 0) + 1
        )
    assert rows == expected_reporters
    with (folder / "per_category.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert sum(int(r["articles"]) for r in csv.DictReader(handle)) == len(selected)
    printed = done.stdout.decode()
    assert "Articles per day:" in printed and "  2024-10-01      5" in printed
    png = (folder / "articles_per_day.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width >= 600 and height == 400


def test_any_case_in_any_alphabet(tmp_path: Path) -> None:
    from belitong_crawler.archive import Archive

    path = tmp_path / "belitong.sqlite"
    archive = Archive(path)
    archive.store(
        {
            "url": "https://belitongekspres.com/read/1/x",
            "article_id": 1,
            "title": "Kopi",
            "body": "Isi.",
            "category": "Ékonomi",
            "reporter": "Zoë Éléonore",
            "tags": ["Ölçü"],
            "related_urls": [],
        }
    )
    archive.close()
    assert exported_ids(path, "--category", "ékonomi") == [1]
    assert exported_ids(path, "--reporter", "ZOË ÉLÉONORE") == [1]
    assert exported_ids(path, "--tag", "ölçü") == [1]


# --- export only reads, and every mistake is one line and exit code 2 ------------------------------


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in a folder: its bytes and modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def one_error_line(done: subprocess.CompletedProcess, *words: str) -> str:
    assert done.returncode == 2, done.stderr.decode()[-2000:]
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1, done.stderr.decode()
    assert lines[0].startswith("export: error: "), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_export_never_changes_the_archive(archive: Path, tmp_path: Path) -> None:
    # copies of the crawl's archive, without -wal or -shm (all is in the main file after the crawl):
    # beside its run lock, as the crawl leaves it, and alone; and the original, as the tests left it
    # (a Datasette reader leaves -wal and -shm behind: there readers share the -shm's read marks, so
    # only the archive itself and the folder's file names are compared)
    with_lock, alone = tmp_path / "with-lock" / archive.name, tmp_path / "alone" / archive.name
    for copy in (with_lock, alone):
        copy.parent.mkdir()
        shutil.copy2(archive, copy)
    shutil.copy2(f"{archive}.lock", f"{with_lock}.lock")
    out = tmp_path / "out"
    out.mkdir()
    for path in (with_lock, alone, archive):
        before = snapshot(path.parent)
        if path != archive:
            assert not [name for name in before if name.endswith(("-wal", "-shm", "-journal"))]
        for args in (
            (),
            ("--query", "kampanye"),
            ("--category", "pilkada 2024", "-o", str(out / "p.json")),
            ("--summary", str(out / "summary")),
        ):
            done = export(path, *args)
            assert done.returncode == 0, done.stderr.decode()
        after = snapshot(path.parent)
        if path == archive:
            assert sorted(after) == sorted(before) and after[path.name] == before[path.name]
        else:
            assert after == before


def test_an_unrelated_sqlite_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "notes.sqlite"
    db = sqlite3.connect(other)
    db.executescript(
        "CREATE TABLE articles (id INTEGER PRIMARY KEY, text TEXT);"
        "INSERT INTO articles (text) VALUES ('mine');"
    )
    db.close()
    before = snapshot(tmp_path)
    one_error_line(export(other), "not this crawler's archive")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", ("not this crawler's archive",)),
        (b"url,title\nhttps://belitongekspres.com/read/1/x,Kopi\n", ("not an SQLite database",)),
    ],
)
def test_a_file_that_is_no_archive_is_refused_and_left_alone(
    tmp_path: Path, content: bytes, words: tuple[str, ...]
) -> None:
    path = tmp_path / "belitong.sqlite"
    path.write_bytes(content)
    before = snapshot(tmp_path)
    one_error_line(export(path), str(path), *words)
    assert snapshot(tmp_path) == before


def test_a_folder_is_no_archive(tmp_path: Path) -> None:
    one_error_line(export(tmp_path), "is a folder")


def old_archive(path: Path, drop: str | None = None) -> Path:
    """An archive of schema version 1 (no search index), as the first crawler wrote it; ``drop``: a
    column it lacks."""
    from belitong_crawler.archive import MIGRATIONS

    db = sqlite3.connect(path)
    script = MIGRATIONS[0]
    if drop:
        script = re.sub(rf"\n\s*{drop} TEXT,", "", script)
    db.executescript(script)
    db.execute(
        "INSERT INTO articles (article_id, url, title, body, tags, related_urls, content_hash, first_seen,"
        " revision_seen, last_seen, revision) VALUES (1, 'https://belitongekspres.com/read/1/kopi', 'Kopi',"
        " 'Isi.', '[]', '[]', 'x', '2024-10-01', '2024-10-01', '2024-10-01', 1)"
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    return path


def test_an_older_archive_is_read_as_it_is(tmp_path: Path) -> None:
    path = old_archive(tmp_path / "old.sqlite")
    before = snapshot(tmp_path)
    assert exported_ids(path) == [1]
    one_error_line(export(path, "--query", "kopi"), "run a crawl", "upgrade")
    assert snapshot(tmp_path) == before


def test_an_older_archive_without_a_needed_column_says_upgrade(tmp_path: Path) -> None:
    path = old_archive(tmp_path / "old.sqlite", drop="dateline")
    before = snapshot(tmp_path)
    one_error_line(export(path), "dateline", "run a crawl", "upgrade")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("where", ["missing-folder", "a-folder", "under-a-file"])
def test_unwritable_output_is_one_line(archive: Path, tmp_path: Path, where: str) -> None:
    (tmp_path / "file.txt").write_text("x")
    target = {
        "missing-folder": tmp_path / "no" / "such" / "out.csv",
        "a-folder": tmp_path,
        "under-a-file": tmp_path / "file.txt" / "out.csv",
    }[where]
    one_error_line(export(archive, "--format", "csv", "-o", str(target)), "cannot write", str(target))


@pytest.mark.parametrize("where", ["a-file", "under-a-file"])
def test_unwritable_summary_folder_is_one_line(archive: Path, tmp_path: Path, where: str) -> None:
    (tmp_path / "file.txt").write_text("x")
    target = tmp_path / "file.txt" if where == "a-file" else tmp_path / "file.txt" / "summary"
    done = export(archive, "--summary", str(target))
    one_error_line(done, "cannot write", str(target))
    assert done.stdout == b""


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_closed_pipe_is_one_line(archive: Path, fmt: str) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # as `export ... | head -1` once head has read its line and gone
    try:
        done = subprocess.run(
            [sys.executable, "-m", "belitong_crawler", "export", "--archive", str(archive), "--format", fmt],
            cwd=PROJECT_ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    finally:
        os.close(write_end)
    one_error_line(done, "closed")


def test_head_of_a_big_export(archive: Path) -> None:
    """The shell's own `| head -1`: the first line arrives, and no traceback follows."""
    done = subprocess.run(
        f"{sys.executable} -m belitong_crawler export --archive '{archive}' --format jsonl | head -1",
        shell=True,
        cwd=PROJECT_ROOT,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["article_id"] in EXPECTED
    assert b"Traceback" not in done.stderr


def test_a_reader_never_reads_under_a_crawl_starting_to_write(tmp_path: Path) -> None:
    from belitong_crawler.archive import Archive, acquire_run_lock

    path = tmp_path / "belitong.sqlite"
    Archive(path).close()
    crawl = acquire_run_lock(path)
    assert crawl is not None
    reader = Archive(path, read_only=True)  # a crawl holds the lock: read as it is, through SQLite's locks
    assert reader.count() == 0 and reader._reader_lock is None
    reader.close()
    crawl.close()
    reader = Archive(path, read_only=True)  # read as immutable: no crawl may start writing meanwhile
    assert acquire_run_lock(path) is None
    reader.close()
    assert acquire_run_lock(path) is not None


# --- the chart at any span, and rows streamed -------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "unit", "bars"),
    [
        ("2024-10-01", "2024-10-01", "day", 1),
        ("2024-10-01", "2024-11-29", "day", 60),
        ("2024-10-01", "2024-11-30", "week", 9),  # 61 days: Monday 30 September to Monday 25 November
        ("2024-01-01", "2024-12-31", "week", 53),
        ("2023-01-02", "2024-12-31", "month", 24),
        ("2000-01-01", "2024-12-31", "year", 25),
    ],
)
def test_chart_bins_keep_to_about_60_bars(first: str, last: str, unit: str, bars: int) -> None:
    from datetime import date

    from belitong_crawler.export import chart_bins

    found_unit, starts = chart_bins(date.fromisoformat(first), date.fromisoformat(last))
    assert (found_unit, len(starts)) == (unit, bars)
    assert starts[0] <= date.fromisoformat(first) and starts == sorted(starts)
    if unit == "week":
        assert {s.weekday() for s in starts} == {0}


def test_chart_title_names_the_bin_the_filters_and_the_span() -> None:
    from datetime import date

    from belitong_crawler.export import chart_title

    assert chart_title("week", "category=Ekonomi", date(2024, 1, 1), date(2024, 12, 31)) == (
        "Articles per week, category=Ekonomi, 2024-01-01..2024-12-31"
    )
    assert chart_title("day", "", date(2024, 10, 1), date(2024, 10, 4), undated=2) == (
        "Articles per day, 2024-10-01..2024-10-04 (and 2 undated)"
    )


def test_summary_of_years_is_a_chart_of_fixed_size(tmp_path: Path) -> None:
    from belitong_crawler.archive import Archive

    path = tmp_path / "belitong.sqlite"
    archive = Archive(path)
    for n, when in enumerate(
        ["2021-03-05T10:00:00+07:00", "2022-07-01T23:30:00+09:00", "2024-12-31T23:59:00+07:00", None], start=1
    ):
        archive.store(
            {
                "url": f"https://belitongekspres.com/read/{n}/x",
                "article_id": n,
                "title": "Kopi",
                "body": "Isi.",
                "published_at": when,
                "category": "Ekonomi",
                "tags": [],
                "related_urls": [],
            }
        )
    archive.close()
    folder = tmp_path / "summary"
    done = export(path, "--category", "ekonomi", "--summary", str(folder))
    assert done.returncode == 0, done.stderr.decode()
    png = (folder / "articles_per_day.png").read_bytes()
    assert struct.unpack(">II", png[16:24]) == (1000, 400)
    with (folder / "per_day.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0] == {"day": "2021-03-05", "articles": "1"} and rows[-1] == {
        "day": "(none)",
        "articles": "1",
    }
    assert len(rows) == (datetime(2025, 1, 1) - datetime(2021, 3, 5)).days + 1  # every day, zeros too
    assert {"day": "2022-07-01", "articles": "1"} in rows  # 23:30 WIT is 21:30 WIB
    assert exported_ids(path) == [1, 2, 3, 4]  # oldest first, undated last
    assert exported_ids(path, "--since", "2022-07-01", "--until", "2022-07-01") == [2]


def test_rows_are_streamed_from_the_cursor(archive: Path) -> None:
    from argparse import Namespace
    from collections.abc import Iterator

    from belitong_crawler.archive import Archive
    from belitong_crawler.export import Selection

    reader = Archive(archive, read_only=True)
    try:
        args = Namespace(since=None, until=None, category=None, tag=None, reporter=None, query=None)
        articles = Selection(reader, args).articles()
        assert isinstance(articles, Iterator) and not isinstance(articles, list)
        assert [a["article_id"] for a in articles] == exported_ids(archive)
    finally:
        reader.close()


def test_an_archive_of_version_4_is_exported_as_it_is(tmp_path: Path) -> None:
    from tests.test_archive import build_v4_archive

    path = tmp_path / "archive" / "belitong.sqlite"
    path.parent.mkdir()
    build_v4_archive(path).close()
    before = snapshot(path.parent)
    assert sorted(exported_ids(path, "--query", "berkampanye")) == [52280, 52296, 52431, 52447]
    assert sorted(exported_ids(path, "--since", "2024-10-02", "--until", "2024-10-02")) == ids_where(
        lambda a: day(a) == "2024-10-02"
    )
    everything = exported_ids(path)
    dated = [i for i in everything if EXPECTED[i]["published_at"]]
    assert sorted(everything) == ALL and dated == sorted(dated, key=lambda i: EXPECTED[i]["published_at"])
    assert export(path, "--summary", str(tmp_path / "summary")).returncode == 0
    assert snapshot(path.parent) == before  # read as it is: never upgraded, nothing written beside it


# --- datasets written without Scrapy, byte for byte as Scrapy's exporters write them ---------------


def scrapy_export(articles: list[dict], fmt: str) -> bytes:
    """The bytes Scrapy's exporters write for ``articles``, configured as the crawl's feeds are (the
    export command used them so, before it wrote datasets itself)."""
    from scrapy.exporters import JsonItemExporter, JsonLinesItemExporter

    from belitong_crawler.exporters import ArticleCsvItemExporter
    from belitong_crawler.items import ARTICLE_FIELDS

    exporter_class = {
        "csv": ArticleCsvItemExporter,
        "json": JsonItemExporter,
        "jsonl": JsonLinesItemExporter,
    }[fmt]
    options = {"indent": 2} if fmt == "json" else {}
    stream = io.BytesIO()
    exporter = exporter_class(stream, fields_to_export=list(ARTICLE_FIELDS), encoding="utf-8", **options)
    exporter.start_exporting()
    for article in articles:
        exporter.export_item(article)
    exporter.finish_exporting()
    return stream.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_datasets_are_the_bytes_scrapys_exporters_write(archive: Path, fmt: str) -> None:
    from argparse import Namespace

    from belitong_crawler.archive import Archive
    from belitong_crawler.export import Selection, write_dataset
    from tests.test_csv_safety import ITEMS

    reader = Archive(archive, read_only=True)
    try:
        args = Namespace(since=None, until=None, category=None, tag=None, reporter=None, query=None)
        archived = list(Selection(reader, args).articles())
    finally:
        reader.close()
    # the crawl's articles, the spreadsheet tests' hard cases (would-be formulas, tabs, None, empty and
    # formula-like lists, curly quotes), a field missing, a float, a tuple, and bytes (in CSV: JSON
    # has no bytes)
    odd = {**dict(ITEMS[1]), "word_count": 2.5, "tags": ("a", 1)}
    if fmt == "csv":
        odd["image_caption"] = b"=bytes"
    del odd["editor"]
    for articles in (archived, [dict(item) for item in ITEMS], [odd], []):
        written = io.BytesIO()
        assert write_dataset(iter(articles), written, fmt) == len(articles)
        assert written.getvalue() == scrapy_export(articles, fmt)
    assert len(archived) == len(ALL)


# Which of the heavy packages a command loaded: printed on stderr as it exits, however it exits.
LOADED = """
import sys
from belitong_crawler.__main__ import main
try:
    code = main(sys.argv[1:])
finally:
    heavy = sorted({name.split(".")[0] for name in sys.modules} & {"scrapy", "twisted", "matplotlib"})
    print("loaded:", ",".join(heavy) or "nothing heavy", file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize(
    ("args", "heavy"),
    [
        (("--format", "csv"), "nothing heavy"),
        (("--format", "json", "--query", "kampanye"), "nothing heavy"),
        (("--format", "jsonl", "--since", "2024-10-01"), "nothing heavy"),
        (("--since", "yesterday"), "nothing heavy"),
        (("--summary", "{tmp}/summary"), "matplotlib"),
    ],
)
def test_export_loads_neither_scrapy_nor_matplotlib_unless_it_draws(
    archive: Path, tmp_path: Path, args: tuple[str, ...], heavy: str
) -> None:
    args = tuple(a.replace("{tmp}", str(tmp_path)) for a in args)
    done = subprocess.run(
        [sys.executable, "-c", LOADED, "export", "--archive", str(archive), *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == (2 if "yesterday" in args else 0), done.stderr.decode()
    assert done.stderr.decode().strip().splitlines()[-1] == f"loaded: {heavy}"
