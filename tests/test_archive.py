"""The archive on a real SQLite file: schema, revisions, unavailable pages, runs."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from belitong_crawler.archive import MIGRATIONS, NEW, REVISED, UNCHANGED, Archive, acquire_run_lock
from belitong_crawler.items import ArticleItem


def article(article_id: int = 7, title: str = "Judul", body: str = "Isi.") -> dict:
    item = ArticleItem.empty()
    item.update(url=f"https://belitongekspres.com/read/{article_id}/x", article_id=article_id, title=title,
                body=body, tags=["Lada", "Petani"], published_at="2024-10-01T18:56:00+07:00", pages=1)
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
        (1, "Judul", "Isi."), (2, "Judul", "Isi yang diubah.")]
    archive.close()


def test_unavailable_is_known_until_exported(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    archive.mark_unavailable(9, "https://belitongekspres.com/read/9/x", "http_404")
    archive.store(article())
    assert archive.known() == {9: None, 7: "2024-10-01T18:56:00+07:00"}
    archive.store(article(9))
    assert archive.db.execute("SELECT count(*) FROM unavailable").fetchone()[0] == 0
    archive.close()


def test_only_a_complete_last_run_lets_listings_stop_early(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    assert not archive.last_run_was_complete()
    archive.finish_run(archive.begin_run(unrestricted=True), "finished", complete=True)
    assert archive.last_run_was_complete()
    archive.begin_run(unrestricted=True)  # killed: never finished
    assert not archive.last_run_was_complete()
    archive.finish_run(archive.begin_run(unrestricted=True), "finished", complete=False)
    assert not archive.last_run_was_complete()
    archive.close()


def test_articles_of_killed_runs_are_found_until_exported_again(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    first = archive.begin_run(unrestricted=True)
    archive.store(article(1), first)
    archive.finish_run(first, "finished", complete=True)
    killed = archive.begin_run(unrestricted=True)
    archive.store(article(2), killed)
    archive.store(article(3), killed)
    assert archive.killed_runs_articles() == {2: "https://belitongekspres.com/read/2/x",
                                              3: "https://belitongekspres.com/read/3/x"}
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
    assert archive.recent(datetime(2024, 9, 30, 17, 0, tzinfo=UTC)) == {1: "https://belitongekspres.com/read/1/x"}
    assert set(archive.known(datetime.now(UTC) - timedelta(days=1))) == {1, 2, 3}
    assert set(archive.known(datetime.now(UTC) + timedelta(days=1))) == {1, 2}  # time to try page 3 again
    archive.close()


def test_an_archive_of_version_1_is_upgraded_with_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
        db.execute("INSERT INTO runs (started_at, unrestricted) VALUES ('2024-10-01T00:00:00+00:00', 1)")
        db.execute("INSERT INTO articles (article_id, url, title, body, tags, related_urls, revision, content_hash,"
                   " first_seen, revision_seen, last_seen) VALUES (5, 'https://belitongekspres.com/read/5/x',"
                   " 'Petani Lada', 'Para petani berkampanye menanam lada.', '[]', '[]', 1, 'h', 'a', 'a', 'a')")
    archive = Archive(path)
    assert archive.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) == 4
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
    assert tuple(archive.db.execute("SELECT reason, attempts FROM pending WHERE article_id = 7").fetchone()) == (
        "TimeoutError", 2)
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
