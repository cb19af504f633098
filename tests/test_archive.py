"""The archive on a real SQLite file: schema, revisions, unavailable pages, runs."""

from __future__ import annotations

import sqlite3
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


def test_only_a_finished_unrestricted_last_run_lets_listings_stop_early(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive.sqlite")
    assert not archive.last_run_was_complete()
    archive.finish_run(archive.begin_run(unrestricted=True), "finished")
    assert archive.last_run_was_complete()
    archive.begin_run(unrestricted=True)  # killed: never finished
    assert not archive.last_run_was_complete()
    archive.finish_run(archive.begin_run(unrestricted=False), "finished")
    assert not archive.last_run_was_complete()
    archive.close()


def test_run_lock_is_exclusive_and_released(tmp_path: Path) -> None:
    first = acquire_run_lock(tmp_path / "archive.sqlite")
    assert first is not None
    assert acquire_run_lock(tmp_path / "archive.sqlite") is None
    first.close()
    again = acquire_run_lock(tmp_path / "archive.sqlite")
    assert again is not None
    again.close()
