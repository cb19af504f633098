"""The archive on a real SQLite file: schema, revisions, unavailable pages, runs."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from belitong_crawler.archive import (
    LIST_FIELDS,
    MIGRATIONS,
    NEW,
    NEW_ARCHIVE_PAGE_SIZE,
    REVISED,
    STORED_FIELDS,
    UNCHANGED,
    WAL_CHECKPOINT_BYTES,
    Archive,
    acquire_run_lock,
    content_hash,
    now_utc,
)
from belitong_crawler.dates import WIB
from belitong_crawler.export import main as export_main
from belitong_crawler.items import ArticleItem
from belitong_crawler.mirror_server import MIRROR_ROOT
from belitong_crawler.search import FTS_TABLE, fts_query, stem_text


def article(article_id: int = 7, title: str = "Judul", body: str = "Isi.") -> dict:
    item = ArticleItem.empty()
    item.update(
        url=f"https://belitongekspres.com/read/{article_id}/x",
        article_id=article_id,
        title=title,
        body=body,
        tags=["Lada", "Petani"],
        published_at="2024-10-01T18:56:00+07:00",
        pages=1,
    )
    return dict(item)


def test_schema_created_once_at_the_newest_version(tmp_path: Path) -> None:
    path = tmp_path / "a" / "archive.sqlite"
    Archive(path).close()
    Archive(path).close()  # opening again runs no migration twice
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "revisions", "unavailable", "runs"} <= tables


def test_new_unchanged_revised(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    assert archive.store(article()) == (NEW, 1)
    assert archive.store({**article(), "scraped_at": "later", "related_urls": ["x"]}) == (UNCHANGED, 1)
    assert archive.store(article(body="Isi yang diubah.")) == (REVISED, 2)
    assert archive.store(article(title="Judul Baru", body="Isi yang diubah.")) == (REVISED, 3)
    stored = archive.get(7)
    assert (stored["title"], stored["revision"], stored["tags"]) == ("Judul Baru", 3, ["Lada", "Petani"])
    assert [(r["revision"], r["title"], r["body"]) for r in archive.revisions(7)] == [
        (1, "Judul", "Isi."),
        (2, "Judul", "Isi yang diubah."),
    ]
    archive.close()


def test_unavailable_is_known_until_exported(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    archive.mark_unavailable(9, "https://belitongekspres.com/read/9/x", "http_404")
    archive.store(article())
    assert archive.is_known(9) and archive.is_known(7) and not archive.is_known(8)
    archive.store(article(9))
    assert archive.db.execute("SELECT count(*) FROM unavailable").fetchone()[0] == 0
    archive.close()


def test_listing_walks_are_remembered_per_category(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    assert archive.walked_listings() == 0
    assert not archive.seen_in_listing("belitung", 1)
    run = archive.begin_run(unrestricted=True)
    archive.store(article(1), run)
    archive.mark_unavailable(2, "https://belitongekspres.com/read/2/x", "http_404")
    archive.mark_pending(3, "https://belitongekspres.com/read/3/x", "http_503")
    assert [archive.is_accounted_for(n) for n in (1, 2, 3, 4)] == [True, True, True, False]
    archive.record_listing_walk("belitung", {1, 2, 3}, run)
    archive.record_listing_walk("belitung", {1, 5}, run)  # a later walk adds to what was seen
    assert archive.walked_listings() == 1
    assert [archive.seen_in_listing("belitung", n) for n in (1, 2, 3, 4, 5)] == [
        True,
        True,
        True,
        False,
        True,
    ]
    assert not archive.seen_in_listing("ekonomi", 1)  # another listing's walk is its own
    assert tuple(archive.db.execute("SELECT run_id, articles FROM listing_walks").fetchone()) == (run, 2)
    archive.close()


def test_articles_of_killed_runs_are_found_until_exported_again(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    first = archive.begin_run(unrestricted=True)
    archive.store(article(1), first)
    archive.finish_run(first, "finished", complete=True)
    killed = archive.begin_run(unrestricted=True)
    archive.store(article(2), killed)
    archive.store(article(3), killed)
    assert archive.killed_runs_articles() == {
        2: "https://belitongekspres.com/read/2/x",
        3: "https://belitongekspres.com/read/3/x",
    }
    recovering = archive.begin_run(unrestricted=True)
    assert archive.db.execute("SELECT status FROM runs WHERE run_id = ?", (killed,)).fetchone()[0] == "killed"
    archive.mark_exported(2, recovering)
    archive.finish_run(recovering, "finished", complete=True)
    assert archive.killed_runs_articles() == {3: "https://belitongekspres.com/read/3/x"}
    archive.close()


def test_recent_and_known_with_unavailable_retried_later(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    archive.store(article(1))
    archive.store({**article(2), "published_at": "2024-09-01T08:00:00+07:00"})
    archive.mark_unavailable(3, "https://belitongekspres.com/read/3/x", "no_body")
    assert archive.recent(datetime(2024, 9, 30, 17, 0, tzinfo=UTC)) == {
        1: "https://belitongekspres.com/read/1/x"
    }
    assert [archive.is_known(i, datetime.now(UTC) - timedelta(days=1)) for i in (1, 2, 3, 4)] == [
        True,
        True,
        True,
        False,
    ]
    # time to try page 3 again
    assert [archive.is_known(i, datetime.now(UTC) + timedelta(days=1)) for i in (1, 2, 3)] == [
        True,
        True,
        False,
    ]
    archive.close()


def test_recheck_days_0_retries_a_page_found_unavailable_in_the_same_second(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    archive.mark_unavailable(3, "https://belitongekspres.com/read/3/x", "no_body")
    run_start = datetime.now(UTC) + timedelta(milliseconds=1)  # a run with BELITONG_RECHECK_DAYS = 0
    assert archive.unavailable_due(run_start) == {3: "https://belitongekspres.com/read/3/x"}
    assert not archive.is_known(3, run_start)
    assert archive.unavailable_due(run_start - timedelta(seconds=1)) == {}
    assert archive.is_known(3, run_start - timedelta(seconds=1))
    archive.close()


def test_a_new_archive_has_small_pages_and_an_old_one_keeps_its_own(tmp_path: Path) -> None:
    # 1 KB pages: an article rewrites a quarter of the bytes (see NEW_ARCHIVE_PAGE_SIZE); an existing
    # file keeps its page size, and either checkpoints every 16 MB of WAL.
    old = tmp_path / "old.sqlite"
    with sqlite3.connect(old) as db:
        db.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    for path, page_size in ((tmp_path / "new.sqlite", NEW_ARCHIVE_PAGE_SIZE), (old, 4096)):
        archive = Archive(path)
        archive.store(article())
        assert archive.db.execute("PRAGMA page_size").fetchone()[0] == page_size
        pages = archive.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        assert pages * page_size == WAL_CHECKPOINT_BYTES
        archive.close()


def test_an_archive_of_version_1_is_upgraded_with_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
        db.execute("INSERT INTO runs (started_at, unrestricted) VALUES ('2024-10-01T00:00:00+00:00', 1)")
        db.execute(
            "INSERT INTO articles (article_id, url, title, body, tags, related_urls, revision, content_hash,"
            " first_seen, revision_seen, last_seen) VALUES (5, 'https://belitongekspres.com/read/5/x',"
            " 'Petani Lada', 'Para petani berkampanye menanam lada.', '[]', '[]', 1, 'h', 'a', 'a', 'a')"
        )
    archive = Archive(path)
    assert archive.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 8
    assert archive.search_ids("kampanye") == [5]  # the full-text index was filled for old rows
    assert archive.search_ids("petan*") == [5]
    assert archive.db.execute("SELECT status FROM runs").fetchone()[0] == "killed"  # never finished
    assert archive.get(5)["title"] == "Petani Lada"
    archive.close()


def test_run_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    first = acquire_run_lock(tmp_path / "archive.sqlite")
    assert first is not None
    assert acquire_run_lock(tmp_path / "archive.sqlite") is None
    first.close()
    again = acquire_run_lock(tmp_path / "archive.sqlite")
    assert again is not None
    again.close()


def test_unchanged_text_keeps_later_details(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    archive.store(article())
    assert archive.store({**article(), "category": "Ekonomi", "tags": ["Lada", "Ekspor"]}) == (UNCHANGED, 1)
    stored = archive.get(7)
    assert (stored["category"], stored["tags"], stored["revision"]) == ("Ekonomi", ["Lada", "Ekspor"], 1)
    assert archive.revisions(7) == []
    archive.close()


def test_pending_until_archived_or_found_gone(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    archive.mark_pending(7, "https://belitongekspres.com/read/7/x", "http_503")
    archive.mark_pending(7, "https://belitongekspres.com/read/7/x", "TimeoutError")
    archive.mark_pending(8, "https://belitongekspres.com/read/8/x", "http_500")
    assert tuple(
        archive.db.execute("SELECT reason, attempts FROM pending WHERE article_id = 7").fetchone()
    ) == ("TimeoutError", 2)
    archive.store(article(7))
    archive.mark_unavailable(8, "https://belitongekspres.com/read/8/x", "http_404")
    assert archive.pending() == {}
    archive.close()


def test_search_reads_indonesian_word_forms_and_apostrophes(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    archive.store(article(1, "Salat Jum'at di Masjid Agung", "Warga berkampanye menjaga kebersihan."))
    archive.store(article(2, "Jadwal Jumat Ini", "Kampanye dimulai pekan depan."))
    archive.store(article(3, "Harga Lada", "Petani lada menunggu harga naik."))
    assert sorted(archive.search_ids("Jumat")) == [1, 2]
    assert sorted(archive.search_ids("Jum'at")) == [1, 2]
    assert sorted(archive.search_ids("kampanye")) == [1, 2]
    assert sorted(archive.search_ids("dikampanyekan")) == [1, 2]
    assert archive.search_ids("peta*") == [3]
    assert archive.search_ids('"harga naik"') == [3]
    archive.close()


# --- schema version 7: the search index without copies, lookups by index, upgrades -----------------


def fts_ok(archive: Archive) -> None:
    """The search index agrees with what it reads (external content: articles and their stems)."""
    archive.db.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")


def test_a_revision_replaces_the_articles_search_entry(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    archive.store(article(1, "Harga Lada", "Petani lada berkampanye menunggu harga naik."))
    archive.store(article(2, "Nelayan Sijuk", "Nelayan pulang membawa cumi."))
    assert archive.search_ids("kampanye") == [1]
    assert archive.store(article(1, "Harga Timah", "Penambang timah menunggu harga naik.")) == (REVISED, 2)
    assert archive.search_ids("kampanye") == [] and archive.search_ids("lada") == []  # the old text is gone
    assert archive.search_ids("menambang") == [1] and archive.search_ids("timah") == [1]
    assert archive.store(article(1, "Harga Timah", "Penambang timah menunggu harga naik.")) == (UNCHANGED, 2)
    assert archive.search_ids("timah") == [1]
    fts_ok(archive)
    # no second copy of the text: the index's own content table is gone
    names = {r[0] for r in archive.db.execute("SELECT name FROM sqlite_master")}
    assert f"{FTS_TABLE}_content" not in names
    archive.close()


def test_published_utc_orders_and_compares_across_zones(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    archive.store({**article(1), "published_at": "2024-10-01T08:00:00+09:00"})  # WIT: 06:00 WIB
    archive.store({**article(2), "published_at": "2024-10-01T07:30:00+07:00"})  # WIB
    archive.store({**article(3), "published_at": None})
    rows = archive.db.execute(
        "SELECT article_id, published_utc FROM articles ORDER BY published_utc"
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        (3, None),
        (1, "2024-09-30T23:00:00.000Z"),
        (2, "2024-10-01T00:30:00.000Z"),
    ]
    assert set(archive.recent(datetime(2024, 10, 1, 0, 0, tzinfo=UTC))) == {2}
    archive.close()


def test_related_links_wait_in_a_backlog_until_their_articles_are_archived(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    links = [f"https://belitongekspres.com/read/{i}/x" for i in (2, 3, 4)]
    archive.store({**article(1), "related_urls": [*links, "https://belitongekspres.com/read/1/x"]})
    archive.store({**article(9), "related_urls": [links[0]]})
    assert sorted(archive.related_backlog()) == links  # each once, never the article itself
    archive.store(article(2))
    archive.mark_unavailable(3, links[1], "http_404")
    assert archive.related_backlog(datetime.now(UTC) - timedelta(days=1)) == [links[2]]
    assert sorted(archive.related_backlog(datetime.now(UTC) + timedelta(days=1))) == links[1:]  # 3 due again
    archive.store({**article(1), "related_urls": []})  # an unchanged article whose links were taken out
    assert archive.related_backlog(datetime.now(UTC) - timedelta(days=1)) == []
    archive.close()


def plan(archive: Archive, sql: str, *params: object) -> str:
    return " | ".join(r[3] for r in archive.db.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_what_a_run_looks_up_uses_indices(tmp_path: Path) -> None:
    """No full scan of the articles at a run's start: its cost does not grow with the archive."""
    archive = Archive(tmp_path / "archive.sqlite")
    statements = []
    archive.db.set_trace_callback(statements.append)
    archive.is_known(7, datetime.now(UTC))
    archive.recent(datetime.now(UTC))
    archive.killed_runs_articles()
    archive.related_backlog(datetime.now(UTC))
    archive.unavailable_due(datetime.now(UTC))
    archive.begin_run(unrestricted=True)
    archive.db.set_trace_callback(None)
    assert len(statements) >= 7
    for statement in statements:
        if statement.startswith(("SELECT", "UPDATE")):
            found = plan(archive, statement)
            assert "SCAN articles" not in found and "SCAN unavailable" not in found, (statement, found)
            assert "SCAN runs" not in found, (statement, found)
    assert "INDEX articles_published_utc" in plan(
        archive, "SELECT * FROM articles WHERE published_utc IS NOT NULL ORDER BY published_utc, article_id"
    )
    archive.close()


def test_commits_wait_for_no_disk_in_wal(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    assert archive.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert archive.db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    archive.close()


# What version 4 (the schema before this one) wrote for a new or edited article: its store(), as it
# shipped, over the shipped migrations.
def store_v4(db: sqlite3.Connection, item: dict, run_id: int | None) -> None:
    article_id, seen = item["article_id"], now_utc()
    digest = content_hash(item.get("title"), item.get("body"))
    old = db.execute(
        "SELECT revision, title, body, content_hash, revision_seen, last_seen FROM articles"
        " WHERE article_id = ?",
        (article_id,),
    ).fetchone()
    values = {name: item.get(name) for name in STORED_FIELDS if name != "revision"}
    for name in LIST_FIELDS:
        values[name] = json.dumps(values[name] or [], ensure_ascii=False)
    values.update(
        revision=1 if old is None else old[0] + 1,
        content_hash=digest,
        revision_seen=seen,
        last_seen=seen,
        run_id=run_id,
    )
    db.execute("BEGIN")
    if old is None:
        values.update(article_id=article_id, first_seen=seen)
        db.execute(
            f"INSERT INTO articles ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
            tuple(values.values()),
        )
    else:
        db.execute(
            "INSERT INTO revisions (article_id, revision, title, body, content_hash, first_seen, last_seen)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (article_id, *old),
        )
        db.execute(
            f"UPDATE articles SET {', '.join(f'{name} = ?' for name in values)} WHERE article_id = ?",
            (*values.values(), article_id),
        )
    db.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = ?", (article_id,))
    db.execute(
        f"INSERT INTO {FTS_TABLE} (rowid, title, body, stems) VALUES (?, ?, ?, ?)",
        (
            article_id,
            values["title"],
            values["body"],
            stem_text(f"{values['title'] or ''}\n{values['body'] or ''}"),
        ),
    )
    db.execute("COMMIT")


QUERIES = [
    "kampanye",
    "berkampanye",
    "Jumat",
    "Jum'at",
    "nelay*",
    "kampa*",
    '"masa kampanye"',
    "petani lada",
    "harga",
    "dikampanyekan ASN",
]


def search_v4(db: sqlite3.Connection, query: str) -> list[int]:
    return sorted(
        r[0]
        for r in db.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", (fts_query(query),))
    )


def build_v4_archive(path: Path) -> sqlite3.Connection:
    """An archive as version 4 left it: the mirror's articles (the first one edited once: revision 2)
    in a run, a pending page and an unavailable one. Returns the open connection."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    for number, script in enumerate(MIGRATIONS[:4], start=1):
        db.execute("BEGIN")
        if callable(script):
            script(db)
        else:
            for statement in filter(str.strip, script.split(";")):
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {number}")
        db.execute("COMMIT")
    run_id = db.execute(
        "INSERT INTO runs (started_at, unrestricted, status) VALUES ('2024-10-05', 1, 'running')"
    ).lastrowid
    for item in V4_MIRROR:
        store_v4(db, item, run_id)
    edited = V4_MIRROR[0]
    store_v4(db, {**edited, "body": edited["body"] + "\n\nSalat Jum'at diundur."}, run_id)  # revision 2
    db.execute("UPDATE runs SET status = 'closed', finished_at = '2024-10-05', complete = 1")
    db.execute(
        "INSERT INTO pending (article_id, url, reason, first_seen, last_seen) VALUES"
        " (60001, 'https://belitongekspres.com/read/60001/x', 'http_503', '2024-10-05', '2024-10-05')"
    )
    db.execute(
        "INSERT INTO unavailable (article_id, url, reason, first_seen, last_seen) VALUES"
        f" (60002, 'https://belitongekspres.com/read/60002/x', 'http_404', '{now_utc()}', '{now_utc()}')"
    )
    return db


V4_MIRROR = [
    json.loads(p.read_text("utf-8")) for p in sorted((MIRROR_ROOT.parent / "expected").glob("*.json"))
]


def test_an_archive_of_version_4_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "belitong.sqlite"
    db = build_v4_archive(path)
    mirror, edited = V4_MIRROR, V4_MIRROR[0]
    found = {query: search_v4(db, query) for query in QUERIES}
    assert found["kampanye"] and found["Jumat"] == found["Jum'at"] and found["Jumat"]
    db.close()
    size_before = path.stat().st_size

    archive = Archive(path)  # upgrades: versions 5 to 8, then VACUUM (the old index's copy is freed)
    try:
        assert archive.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 8
        # no listing walk on record yet, whatever the old runs were: each listing is walked whole once
        assert archive.walked_listings() == 0
        assert {query: sorted(archive.search_ids(query)) for query in QUERIES} == found
        fts_ok(archive)
        assert archive.count() == len(mirror)
        assert [r["revision"] for r in archive.revisions(edited["article_id"])] == [1]
        assert archive.get(edited["article_id"])["revision"] == 2
        assert archive.pending() == {60001: "https://belitongekspres.com/read/60001/x"}
        assert archive.is_known(60002, datetime.now(UTC) - timedelta(days=1))
        assert archive.is_known(mirror[1]["article_id"]) and not archive.is_known(60001)
        assert None not in {
            r[0]
            for r in archive.db.execute("SELECT published_utc FROM articles WHERE published_at IS NOT NULL")
        }
        linked = {u for a in mirror for u in a["related_urls"]}
        archived = {a["article_id"] for a in mirror}
        assert set(archive.related_backlog()) == {u for u in linked if int(u.split("/")[4]) not in archived}
        # an edit after the upgrade keeps the index in step
        assert archive.store({**edited, "body": "Nelayan Sijuk berkampanye."})[0] == REVISED
        assert edited["article_id"] in archive.search_ids("nelayan")
        assert edited["article_id"] not in archive.search_ids("Jumat")
        fts_ok(archive)
        campaign = sorted(archive.search_ids("kampanye"))
    finally:
        archive.close()
    assert path.stat().st_size < size_before * 0.8, (path.stat().st_size, size_before)

    out = tmp_path / "kampanye.jsonl"
    assert (
        export_main(["--archive", str(path), "--query", "kampanye", "--since", "2024-09-01", "-o", str(out)])
        == 0
    )
    exported = [json.loads(line)["article_id"] for line in out.read_text("utf-8").splitlines()]
    since = datetime(2024, 9, 1, tzinfo=WIB)
    assert sorted(exported) == [
        a["article_id"]
        for a in mirror
        if a["article_id"] in campaign
        and a["published_at"]
        and datetime.fromisoformat(a["published_at"]) >= since
    ]
    assert edited["article_id"] in exported
    assert export_main(["--archive", str(path), "--summary", str(tmp_path / "summary")]) == 0
