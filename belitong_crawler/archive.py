"""The embedded archive: every article ever exported, in one SQLite file, with its revisions.

It makes cron runs cheap (archived articles are not fetched again) and catches silent edits (a
changed title or body becomes a new revision, the earlier one kept). Each article is written in its
own transaction, so a run killed at any moment leaves every article it finished archived exactly once
and nothing half-written. The schema is created and upgraded here (``PRAGMA user_version``).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from belitong_crawler.items import ARTICLE_FIELDS

NEW, REVISED, UNCHANGED = "new", "revised", "unchanged"
LIST_FIELDS = ("tags", "related_urls")
STORED_FIELDS = tuple(name for name in ARTICLE_FIELDS if name != "article_id")

# Each entry upgrades the schema from version i to i + 1.
MIGRATIONS: tuple[str, ...] = (
    f"""
    CREATE TABLE articles (
        article_id INTEGER PRIMARY KEY,
        {
        ", ".join(
            f"{name} {'INTEGER' if name in ('pages', 'word_count', 'revision') else 'TEXT'}"
            for name in STORED_FIELDS
        )
    },
        content_hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        revision_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE INDEX articles_published_at ON articles (published_at);
    CREATE TABLE revisions (
        article_id INTEGER NOT NULL REFERENCES articles (article_id),
        revision INTEGER NOT NULL,
        title TEXT,
        body TEXT,
        content_hash TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (article_id, revision)
    );
    """,
)


def content_hash(title: str | None, body: str | None) -> str:
    """What a revision is: a change of title or body (not of scraped_at, related links, ...)."""
    return hashlib.sha256(f"{title or ''}\x00{body or ''}".encode()).hexdigest()


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Archive:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.upgrade()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def upgrade(self) -> None:
        """Bring the schema to the newest version, one migration per transaction."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction() as db:
                for statement in filter(str.strip, script.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")

    def known(self) -> dict[int, str | None]:
        """article_id -> published_at of every archived article."""
        return dict(self.db.execute("SELECT article_id, published_at FROM articles"))

    def get(self, article_id: int) -> dict | None:
        row = self.db.execute("SELECT * FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        article = dict(row)
        for name in LIST_FIELDS:
            article[name] = json.loads(article[name]) if article[name] else []
        return article

    def revisions(self, article_id: int) -> list[dict]:
        return [
            dict(r)
            for r in self.db.execute(
                "SELECT * FROM revisions WHERE article_id = ? ORDER BY revision", (article_id,)
            )
        ]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def store(self, item: Mapping[str, object]) -> tuple[str, int]:
        """Archive one article: (NEW, 1), (REVISED, n) when its title or body changed, or
        (UNCHANGED, n). A revised article's earlier version moves to ``revisions``."""
        article_id = int(item["article_id"])
        digest = content_hash(item.get("title"), item.get("body"))
        seen = now_utc()
        with self.transaction() as db:
            old = db.execute(
                "SELECT revision, title, body, content_hash, revision_seen, last_seen FROM articles"
                " WHERE article_id = ?",
                (article_id,),
            ).fetchone()
            if old is not None and old["content_hash"] == digest:
                db.execute("UPDATE articles SET last_seen = ? WHERE article_id = ?", (seen, article_id))
                return UNCHANGED, old["revision"]
            revision = 1 if old is None else old["revision"] + 1
            values = {name: item.get(name) for name in STORED_FIELDS}
            for name in LIST_FIELDS:
                values[name] = json.dumps(values[name] or [], ensure_ascii=False)
            values["revision"] = revision
            if old is None:
                columns = [
                    "article_id",
                    *STORED_FIELDS,
                    "content_hash",
                    "first_seen",
                    "revision_seen",
                    "last_seen",
                ]
                db.execute(
                    f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                    (article_id, *values.values(), digest, seen, seen, seen),
                )
                return NEW, revision
            db.execute(
                "INSERT INTO revisions"
                " (article_id, revision, title, body, content_hash, first_seen, last_seen)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    old["revision"],
                    old["title"],
                    old["body"],
                    old["content_hash"],
                    old["revision_seen"],
                    old["last_seen"],
                ),
            )
            assignments = ", ".join(f"{name} = ?" for name in values)
            db.execute(
                f"UPDATE articles SET {assignments}, content_hash = ?, revision_seen = ?, last_seen = ?"
                " WHERE article_id = ?",
                (*values.values(), digest, seen, seen, article_id),
            )
            return REVISED, revision
