"""The embedded archive: every article ever exported, in one SQLite file, with its revisions.

It makes cron runs cheap (archived articles are not fetched again) and catches silent edits (a
changed title or body becomes a new revision, the earlier one kept). Each article is written in its
own transaction, so a run killed at any moment leaves every article it finished archived exactly once
and nothing half-written. The schema is created and upgraded here (``PRAGMA user_version``).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from belitong_crawler.items import ARTICLE_FIELDS
from belitong_crawler.search import (
    FTS_SCHEMA,
    FTS_SCHEMA_V2,
    FTS_TABLE,
    SEARCH_VIEW_SCHEMA,
    STEMS_TABLE,
    fts_query,
    stem_text,
)
from belitong_crawler.urls import parse_article_url

NEW, REVISED, UNCHANGED = "new", "revised", "unchanged"
PENDING_ATTEMPTS = 5  # runs that ask again for a page failing for a passing reason
LIST_FIELDS = ("tags", "related_urls")
STORED_FIELDS = tuple(name for name in ARTICLE_FIELDS if name != "article_id")


def _add_search(db: sqlite3.Connection) -> None:
    """Version 2: the full-text index (see search.py), filled for the articles already archived."""
    db.execute(FTS_SCHEMA_V2)
    rows = db.execute("SELECT article_id, title, body FROM articles").fetchall()
    for article_id, title, body in rows:
        db.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body, stems) VALUES (?, ?, ?, ?)",
            (article_id, title, body, stems_of(title, body)),
        )


def stems_of(title: str | None, body: str | None) -> str:
    """What the index's ``stems`` column holds for an article."""
    return stem_text(f"{title or ''}\n{body or ''}")


# The published time in UTC as text that sorts as time does, read by SQLite as julianday() read it
# before (ISO 8601 with any offset): '2024-10-01T18:56:00+07:00' -> '2024-10-01T11:56:00.000Z'.
# NULL for no date or one SQLite cannot read.
UTC_SQL = "strftime('%Y-%m-%dT%H:%M:%fZ', {})"


def _target_id(url: str) -> int | None:
    ref = parse_article_url(url)
    return ref.article_id if ref else None


def _add_related_backlog(db: sqlite3.Connection) -> None:
    """Version 6: the related links of archived articles to articles not archived yet (filled here
    for the archived ones; kept by ``store``), so that a run's start reads those links only instead
    of every archived article's list."""
    db.execute("""
        CREATE TABLE related_backlog (
            url TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles (article_id),
            target_id INTEGER,
            PRIMARY KEY (url, article_id)
        )""")
    db.execute("CREATE INDEX related_backlog_article ON related_backlog (article_id)")
    db.execute("CREATE INDEX related_backlog_target ON related_backlog (target_id)")
    for article_id, related in db.execute("SELECT article_id, related_urls FROM articles"):
        _want_related(db, article_id, Archive.decode_list(related))


def _want_related(db: sqlite3.Connection, article_id: int, urls: list[str]) -> None:
    """Record an archived article's related links whose target is not archived (its old ones gone)."""
    db.execute("DELETE FROM related_backlog WHERE article_id = ?", (article_id,))
    for url in urls:
        target = _target_id(url)
        db.execute(
            "INSERT OR IGNORE INTO related_backlog (url, article_id, target_id) SELECT ?, ?, ?"
            " WHERE NOT EXISTS (SELECT 1 FROM articles WHERE article_id = ?)",
            (url, article_id, target, target),
        )


def _search_without_copies(db: sqlite3.Connection) -> None:
    """Version 7: the full-text index without its own copy of the text (external content, see
    search.py). The stems the old index held move to their own table, so nothing is stemmed again."""
    db.execute(
        f"CREATE TABLE {STEMS_TABLE} (article_id INTEGER PRIMARY KEY REFERENCES articles (article_id),"
        " stems TEXT NOT NULL)"
    )
    db.execute(
        f"INSERT INTO {STEMS_TABLE} (article_id, stems) SELECT rowid, stems FROM {FTS_TABLE}"
        " WHERE stems IS NOT NULL AND rowid IN (SELECT article_id FROM articles)"
    )
    db.execute(f"DROP TABLE {FTS_TABLE}")
    db.execute(SEARCH_VIEW_SCHEMA)
    db.execute(FTS_SCHEMA)
    # Merge the index's segments 16 at a time, not 4: an article is a transaction, so each commit
    # writes a segment of one article, and fewer, larger merges rewrite less (0.6 ms less per article).
    db.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rank) VALUES ('automerge', 16)")
    db.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")


_COLUMNS = ",\n        ".join(
    f"{name} {'INTEGER' if name in ('pages', 'word_count', 'revision') else 'TEXT'}" for name in STORED_FIELDS
)

# Each entry upgrades the schema from version i to i + 1: an SQL script or a function. Never edit one
# that has shipped; add the next.
MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
    f"""
    CREATE TABLE articles (
        article_id INTEGER PRIMARY KEY,
        {_COLUMNS},
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
    CREATE TABLE unavailable (
        article_id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        reason TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE TABLE runs (
        run_id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        unrestricted INTEGER NOT NULL,
        finish_reason TEXT
    );
    """,
    _add_search,
    # Version 3: which run exported each article's current revision (to re-export what a killed run
    # archived but may not have written to its feeds), and how each run ended.
    """
    ALTER TABLE articles ADD COLUMN run_id INTEGER;
    ALTER TABLE runs ADD COLUMN status TEXT NOT NULL DEFAULT 'closed';
    ALTER TABLE runs ADD COLUMN complete INTEGER NOT NULL DEFAULT 0;
    UPDATE runs SET status = 'killed' WHERE finished_at IS NULL;
    """,
    # Version 4: article pages that failed for a passing reason (a 5xx, a timeout, a later page of a
    # multi-page article): the next run asks for them directly instead of walking every listing again.
    """
    CREATE TABLE pending (
        article_id INTEGER PRIMARY KEY,
        url TEXT NOT NULL,
        reason TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 1
    );
    """,
    # Version 5: what a run's start and the export look up, indexed. published_at, in the zone the
    # page states, cannot be compared as text ('...T08:00+09:00' is before '...T07:30+07:00'), and
    # julianday(published_at) used no index: published_utc can.
    f"""
    ALTER TABLE articles ADD COLUMN published_utc TEXT;
    UPDATE articles SET published_utc = {UTC_SQL.format("published_at")};
    CREATE INDEX articles_published_utc ON articles (published_utc);
    CREATE INDEX articles_run_id ON articles (run_id);
    CREATE INDEX runs_status ON runs (status);
    CREATE INDEX unavailable_last_seen ON unavailable (last_seen);
    """,
    _add_related_backlog,
    _search_without_copies,
    # Version 8: per category listing, the article ids that walks of it saw whole (from its first
    # page to its last, or to a page such a walk had seen), each article then archived or accounted
    # for. A later walk of that listing stops at the first page whose articles are all among them:
    # everything below it was seen then. An unfinished or narrowed run adds nothing, and touches no
    # other category's ids. An archive upgraded to this version has none yet, so its next run walks
    # each listing to its end once.
    """
    CREATE TABLE listing_seen (
        category TEXT NOT NULL,
        article_id INTEGER NOT NULL,
        PRIMARY KEY (category, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE listing_walks (
        category TEXT PRIMARY KEY,
        run_id INTEGER NOT NULL,
        walked_at TEXT NOT NULL,
        articles INTEGER NOT NULL
    );
    """,
)


def _cutoff(since: datetime | None) -> str:
    """A time as ``unavailable.last_seen`` writes it (UTC), to compare with; "" for always."""
    return since.astimezone(UTC).isoformat(timespec="seconds") if since else ""


def content_hash(title: str | None, body: str | None) -> str:
    """What a revision is: a change of title or body (not of scraped_at, related links, ...)."""
    return hashlib.sha256(f"{title or ''}\x00{body or ''}".encode()).hexdigest()


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# Writing an article rewrites whole pages (its row, index and search-index pages, the related links'
# index pages it touches: about 33 pages of 4 KB), and every checkpoint syncs what the WAL holds to
# disk: the disk's work, not SQLite's, was half of ``store`` (0.9 ms an article). A new archive has
# 1 KB pages (an existing one keeps its own size), so a touched page costs a quarter of the bytes:
# 16% smaller, the same lookups and searches, a whole scan about a fifth slower. Checkpoints wait for
# 16 MB of WAL instead of SQLite's 4 MB, so a page rewritten by many articles (an index's last page,
# the search index's structure) is copied and synced once per checkpoint rather than four times.
NEW_ARCHIVE_PAGE_SIZE = 1024
WAL_CHECKPOINT_BYTES = 16 * 2**20


class ArchiveError(Exception):
    """A file that cannot be read as this crawler's archive; the message is the one line to show."""


# The columns that make an ``articles`` table this crawler's (since schema version 1).
OWN_COLUMNS = ("article_id", "url", "content_hash", "first_seen", "last_seen")


class Archive:
    """The archive for the crawl (created and upgraded as needed) or, with ``read_only``, for readers
    such as ``export``: then the file is opened as it is and never written, upgraded or switched to
    another journal mode, and a file that is not this crawler's archive raises ``ArchiveError``."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._reader_lock: IO[str] | None = None
        if read_only:
            self.db = self._connect_read_only()
            self.db.row_factory = sqlite3.Row
            self.version = self._check_readable()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.db.row_factory = sqlite3.Row
        self.db.execute(f"PRAGMA page_size={NEW_ARCHIVE_PAGE_SIZE}")  # a no-op on an existing file
        self.db.execute("PRAGMA journal_mode=WAL")
        # In WAL, NORMAL syncs at checkpoints, not at each commit: a power cut can lose the last
        # articles committed, never leave a damaged archive; a crash of the process loses nothing.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        page_size = self.db.execute("PRAGMA page_size").fetchone()[0]
        self.db.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_BYTES // page_size}")
        self.upgrade()

    def _connect_read_only(self) -> sqlite3.Connection:
        """``mode=ro``: SQLite writes nothing to the file. But a reader of a WAL database creates its
        -wal and -shm files when they are missing (and, read-only, cannot remove them). They are
        missing only when no crawl has the archive open and everything is in the main file: then it is
        read as ``immutable``, which creates nothing, while a shared hold on the run lock (when there
        is one) keeps a crawl from starting to write meanwhile."""
        if self.path.is_dir():
            raise ArchiveError(f"{self.path} is a folder, not an archive file (such as belitong.sqlite)")
        if not self.path.is_file():
            raise ArchiveError(
                f"no archive at {self.path} (run `scrapy crawl belitong` first, or give --archive)"
            )
        uri = self.path.resolve().as_uri() + "?mode=ro"
        if self._hold_run_lock() and not Path(f"{self.path}-wal").exists():
            uri += "&immutable=1"
        try:
            return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        except sqlite3.Error as error:
            self._release_reader_lock()
            raise ArchiveError(f"cannot open {self.path}: {error}") from None

    def _hold_run_lock(self) -> bool:
        """A shared hold on the run lock beside the archive, if there is one (none is created): False
        when a crawl holds it."""
        lock_path = Path(f"{self.path}.lock")
        try:
            handle = lock_path.open("r")
        except FileNotFoundError:
            return True
        except OSError:
            return False
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._reader_lock = handle
        return True

    def _check_readable(self) -> int:
        """The schema version, once the file is known to be this crawler's archive with every column an
        article needs (an older version is read as it is; only a crawl upgrades it)."""
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            columns = {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}
        except sqlite3.OperationalError as error:  # unreadable, locked, ...
            self.close()
            raise ArchiveError(f"cannot read {self.path}: {error}") from None
        except sqlite3.DatabaseError as error:  # "file is not a database"
            self.close()
            raise ArchiveError(
                f"{self.path} is not an SQLite database ({error}), so not this crawler's archive"
            ) from None
        if version < 1 or not set(OWN_COLUMNS) <= columns:
            self.close()
            raise ArchiveError(f"{self.path} is not this crawler's archive (no articles table of its making)")
        missing = [name for name in ARTICLE_FIELDS if name not in columns]
        if missing:
            self.close()
            raise ArchiveError(
                f"{self.path} is an older archive (schema version {version}) without "
                f"{', '.join(missing)}: run a crawl with it to upgrade it"
            )
        self.columns = columns
        return version

    @property
    def published_utc(self) -> str:
        """The SQL for an article's published time in UTC, sortable: the indexed column from schema
        version 5 on, computed in an older archive (read as it is)."""
        if self.read_only and "published_utc" not in self.columns:
            return UTC_SQL.format("published_at")
        return "published_utc"

    @property
    def has_search(self) -> bool:
        """Whether the full-text index is there (schema version 2 on)."""
        found = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).fetchone()
        return found is not None

    def close(self) -> None:
        self.db.close()
        self._release_reader_lock()

    def _release_reader_lock(self) -> None:
        if self._reader_lock is not None:
            self._reader_lock.close()
            self._reader_lock = None

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
        """Bring the schema to the newest version, one migration per transaction; then, when the
        upgrade left much of the file free (version 7 drops the index's copy of every text), give
        that space back to the disk (VACUUM, once)."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction() as db:
                if callable(script):
                    script(db)
                else:
                    for statement in filter(str.strip, script.split(";")):
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")
        if version < len(MIGRATIONS):
            free = self.db.execute("PRAGMA freelist_count").fetchone()[0]
            pages = self.db.execute("PRAGMA page_count").fetchone()[0]
            if free > pages // 4:
                self.db.execute("VACUUM")

    def begin_run(self, unrestricted: bool) -> int:
        """Record a run's start; ``unrestricted``: no argument narrowed its discovery. A run still
        marked running now was killed (the run lock lets only one run at a time)."""
        with self.transaction() as db:
            db.execute("UPDATE runs SET status = 'killed' WHERE status = 'running'")
            cursor = db.execute(
                "INSERT INTO runs (started_at, unrestricted, status) VALUES (?, ?, 'running')",
                (now_utc(), int(unrestricted)),
            )
            return int(cursor.lastrowid)

    def finish_run(self, run_id: int, reason: str, complete: bool) -> None:
        """``complete``: an unrestricted run that saw every listing to its end (or to a page seen
        before) without a fetch error; kept as the run's record (listing walks are per category)."""
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at = ?, finish_reason = ?, status = 'closed', complete = ?"
                " WHERE run_id = ?",
                (now_utc(), reason, int(complete), run_id),
            )

    def walked_listings(self) -> int:
        """How many category listings a whole walk is on record for."""
        return self.db.execute("SELECT count(*) FROM listing_walks").fetchone()[0]

    def seen_in_listing(self, category: str, article_id: int) -> bool:
        """Whether a whole walk of ``category``'s listing saw the article (a primary-key lookup)."""
        return (
            self.db.execute(
                "SELECT 1 FROM listing_seen WHERE category = ? AND article_id = ?", (category, article_id)
            ).fetchone()
            is not None
        )

    def is_accounted_for(self, article_id: int) -> bool:
        """Archived, found unavailable, or pending (asked for directly by the next runs): an article
        no later walk of a listing needs to find again."""
        return any(
            self.db.execute(f"SELECT 1 FROM {table} WHERE article_id = ?", (article_id,)).fetchone()
            for table in ("articles", "unavailable", "pending")
        )

    def record_listing_walk(self, category: str, article_ids: Collection[int], run_id: int | None) -> None:
        """A walk of ``category``'s listing that ended properly, with every article it saw accounted
        for: later walks stop at a page whose articles are all among these."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO listing_seen (category, article_id) VALUES (?, ?)",
                ((category, article_id) for article_id in article_ids),
            )
            db.execute(
                "INSERT INTO listing_walks (category, run_id, walked_at, articles) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (category) DO UPDATE SET run_id = excluded.run_id,"
                " walked_at = excluded.walked_at, articles = excluded.articles",
                (category, run_id or 0, now_utc(), len(article_ids)),
            )

    def killed_runs_articles(self) -> dict[int, str]:
        """article_id -> url of the articles that runs killed before they ended archived as new or
        revised: their feeds may have lost them, so the next run exports them again."""
        return dict(
            self.db.execute(
                "SELECT article_id, url FROM articles WHERE run_id IN"
                " (SELECT run_id FROM runs WHERE status IN ('running', 'killed'))"
            )
        )

    def recent(self, since: datetime) -> dict[int, str]:
        """article_id -> url of the articles published at or after ``since``: checked for edits."""
        return dict(
            self.db.execute(
                f"SELECT article_id, url FROM articles WHERE published_utc >= {UTC_SQL.format('?')}",
                (since.isoformat(),),
            )
        )

    def unavailable_due(self, before: datetime) -> dict[int, str]:
        """article_id -> url of the unavailable pages last tried at or before ``before`` (to the second,
        as they are written): worth a new try. With ``BELITONG_RECHECK_DAYS = 0`` that is every one,
        also one found in the same second as the run began."""
        return dict(
            self.db.execute(
                "SELECT article_id, url FROM unavailable WHERE last_seen <= ?", (_cutoff(before),)
            )
        )

    def is_archived(self, article_id: int) -> bool:
        return (
            self.db.execute("SELECT 1 FROM articles WHERE article_id = ?", (article_id,)).fetchone()
            is not None
        )

    def related_backlog(self, unavailable_since: datetime | None = None) -> list[str]:
        """The URLs that archived articles link to as related whose articles are not archived, nor
        found unavailable since ``unavailable_since``: followed by the next run that follows related
        links (a run with follow_related=false skipped them)."""
        return [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT url FROM related_backlog WHERE NOT EXISTS (SELECT 1 FROM unavailable"
                " WHERE unavailable.article_id = related_backlog.target_id AND last_seen > ?)",
                (_cutoff(unavailable_since),),
            )
        ]

    def mark_exported(self, article_id: int, run_id: int | None) -> None:
        with self.transaction() as db:
            db.execute("UPDATE articles SET run_id = ? WHERE article_id = ?", (run_id, article_id))

    def is_known(self, article_id: int, unavailable_since: datetime | None = None) -> bool:
        """Whether an article needs no fetching: archived, or found unavailable since
        ``unavailable_since`` (older unavailable pages are tried again, in case the site fixed them).
        Two primary-key lookups, whatever the archive's size."""
        return (
            self.is_archived(article_id)
            or self.db.execute(
                "SELECT 1 FROM unavailable WHERE article_id = ? AND last_seen > ?",
                (article_id, _cutoff(unavailable_since)),
            ).fetchone()
            is not None
        )

    def mark_unavailable(self, article_id: int, url: str, reason: str) -> None:
        """An article page that cannot be exported for a lasting reason (gone, no title, no body,
        forbidden by robots.txt): later runs do not ask for it again."""
        seen = now_utc()
        with self.transaction() as db:
            db.execute("DELETE FROM pending WHERE article_id = ?", (article_id,))
            db.execute(
                "INSERT INTO unavailable (article_id, url, reason, first_seen, last_seen)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_id)"
                " DO UPDATE SET reason = excluded.reason, last_seen = excluded.last_seen",
                (article_id, url, reason, seen, seen),
            )

    def mark_pending(self, article_id: int, url: str, reason: str, count_attempt: bool = True) -> None:
        """An article page that failed for a passing reason: asked for directly by the next runs, up
        to ``PENDING_ATTEMPTS`` times; then it counts as unavailable (tried again days later).
        ``count_attempt``: false in a run that failed as a whole (the site down), which says nothing
        about this page."""
        seen = now_utc()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO pending (article_id, url, reason, first_seen, last_seen, attempts)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET reason = excluded.reason,"
                " last_seen = excluded.last_seen, attempts = attempts + excluded.attempts",
                (article_id, url, reason, seen, seen, int(count_attempt)),
            )
            row = db.execute("SELECT attempts FROM pending WHERE article_id = ?", (article_id,)).fetchone()
        if row[0] >= PENDING_ATTEMPTS:
            self.mark_unavailable(article_id, url, f"still_failing_{reason}")

    def pending(self) -> dict[int, str]:
        """article_id -> url of the article pages that failed for a passing reason."""
        return dict(self.db.execute("SELECT article_id, url FROM pending"))

    def pending_partial(self) -> set[int]:
        """Multi-page articles pending because a later page failed: exported cut short already."""
        return {r[0] for r in self.db.execute("SELECT article_id FROM pending WHERE reason LIKE 'page_%'")}

    def get(self, article_id: int) -> dict | None:
        row = self.db.execute("SELECT * FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        article = dict(row)
        for name in LIST_FIELDS:
            article[name] = self.decode_list(article[name])
        return article

    @staticmethod
    def decode_list(stored: str | None) -> list[str]:
        """A list field as stored (JSON text) back to a list."""
        return json.loads(stored) if stored else []

    def revisions(self, article_id: int) -> list[dict]:
        return [
            dict(r)
            for r in self.db.execute(
                "SELECT * FROM revisions WHERE article_id = ? ORDER BY revision", (article_id,)
            )
        ]

    def search_ids(self, query: str) -> list[int]:
        """Ids of the articles matching a user's search text (see ``search.fts_query``), best first."""
        return [
            r[0]
            for r in self.db.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? ORDER BY rank", (fts_query(query),)
            )
        ]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def store(self, item: Mapping[str, object], run_id: int | None = None) -> tuple[str, int]:
        """Archive one article: (NEW, 1), (REVISED, n) when its title or body changed, or
        (UNCHANGED, n). A revised article's earlier version moves to ``revisions``. ``run_id`` is the
        run that exports a new or revised article. The row, its search entry and its related links
        change in one transaction."""
        article_id = int(item["article_id"])
        digest = content_hash(item.get("title"), item.get("body"))
        seen = now_utc()
        with self.transaction() as db:
            db.execute("DELETE FROM pending WHERE article_id = ?", (article_id,))
            old = db.execute(
                "SELECT revision, title, body, content_hash, revision_seen, last_seen FROM articles"
                " WHERE article_id = ?",
                (article_id,),
            ).fetchone()
            values = {name: item.get(name) for name in STORED_FIELDS if name != "revision"}
            for name in LIST_FIELDS:
                values[name] = json.dumps(values[name] or [], ensure_ascii=False)
            values["published_utc"] = db.execute(
                f"SELECT {UTC_SQL.format('?')}", (values["published_at"],)
            ).fetchone()[0]
            related = list(item.get("related_urls") or [])
            if old is not None and old["content_hash"] == digest:
                # Same text: no new revision, but tags, category, image ... filled in later are kept.
                values["last_seen"] = seen
                self._update(db, article_id, values)
                _want_related(db, article_id, related)
                return UNCHANGED, old["revision"]
            values.update(
                revision=1 if old is None else old["revision"] + 1,
                content_hash=digest,
                revision_seen=seen,
                last_seen=seen,
                run_id=run_id,
            )
            if old is None:
                values.update(article_id=article_id, first_seen=seen)
                db.execute("DELETE FROM unavailable WHERE article_id = ?", (article_id,))
                db.execute(
                    f"INSERT INTO articles ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                    tuple(values.values()),
                )
                db.execute("DELETE FROM related_backlog WHERE target_id = ?", (article_id,))  # found now
            else:
                db.execute(
                    "INSERT INTO revisions (article_id, revision, title, body, content_hash, first_seen,"
                    " last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
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
                self._unindex(db, article_id, old["title"], old["body"])
                self._update(db, article_id, values)
            _want_related(db, article_id, related)
            stems = stems_of(values["title"], values["body"])
            db.execute(
                f"INSERT OR REPLACE INTO {STEMS_TABLE} (article_id, stems) VALUES (?, ?)", (article_id, stems)
            )
            db.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body, stems) VALUES (?, ?, ?, ?)",
                (article_id, values["title"], values["body"], stems),
            )
            return (NEW if old is None else REVISED), values["revision"]

    @staticmethod
    def _update(db: sqlite3.Connection, article_id: int, values: Mapping[str, object]) -> None:
        assignments = ", ".join(f"{name} = ?" for name in values)
        db.execute(f"UPDATE articles SET {assignments} WHERE article_id = ?", (*values.values(), article_id))

    @staticmethod
    def _unindex(db: sqlite3.Connection, article_id: int, title: str | None, body: str | None) -> None:
        """Take an article's entry out of the search index, which holds no text: it must be given
        exactly the values it indexed (the row's current ones, not yet overwritten)."""
        row = db.execute(f"SELECT stems FROM {STEMS_TABLE} WHERE article_id = ?", (article_id,)).fetchone()
        db.execute(
            f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, title, body, stems) VALUES ('delete', ?, ?, ?, ?)",
            (article_id, title, body, row[0] if row else None),
        )


# The archive is read whole (``PRAGMA quick_check``) at least this often, also when every run since the
# last whole read left it as the next one found it: damage that leaves the file's stamp as it was (a
# failing disk, a restore that puts the old modification time back) is found within a day.
FULL_CHECK_SECONDS = 24 * 3600


def archive_problem(path: str | Path, last: tuple[str, float] | None = None) -> tuple[str | None, float]:
    """Why the archive at ``path`` cannot be used by a crawl (None when it can), and when it was last
    read whole. It is created or upgraded as needed, then checked with ``PRAGMA quick_check`` (which
    reads every page: about 14 ms per 1,000 articles), so a damaged file is never written to; unless
    it is exactly as the last run that ended cleanly left it (``last``: that file stamp, see
    ``archive_stamp``, and the time it was last read whole) and that whole read is recent."""
    now = time.time()
    # the stamp is taken before the file is opened
    unchanged = last is not None and last[0] == archive_stamp(path) and now - last[1] < FULL_CHECK_SECONDS
    checked_at = last[1] if last is not None and unchanged else now
    try:
        archive = Archive(path)
        try:
            verdict = "ok" if unchanged else archive.db.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            archive.close()
    except (sqlite3.Error, OSError) as error:
        return f"the archive {path} cannot be used ({error})", checked_at
    if verdict != "ok":
        return f"the archive {path} is damaged ({verdict.splitlines()[0]}); restore it or move it away", now
    return None, checked_at


def archive_stamp(path: str | Path) -> str | None:
    """The archive file as it is now (device, inode, size, modification time to the nanosecond), or
    None while its write-ahead log holds changes (a connection is open, or a run was killed). A run
    that ends cleanly leaves it in the lock file; any later change to the file (a copy, a restore,
    another program's write, damage written to it) changes it, and the next run reads the file whole."""
    try:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size:
            return None
        stat = Path(path).stat()
    except OSError:
        return None
    return f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"


def read_stamp(lock: IO[str]) -> tuple[str, float] | None:
    """What the last run that ended cleanly left in the lock file (``acquire_run_lock``'s): the file's
    stamp and when it was last read whole; None when there is nothing usable."""
    lock.seek(0)
    try:
        stamp, checked_at = lock.read().split()
        return stamp, float(checked_at)
    except ValueError:
        return None


def write_stamp(lock: IO[str], stamp: str | None, checked_at: float | None) -> None:
    """Leave the file's stamp and the time of its last whole read in the lock file; with no stamp,
    empty it (the next run reads the file whole)."""
    lock.seek(0)
    lock.truncate()
    if stamp is not None and checked_at is not None:
        lock.write(f"{stamp} {checked_at:.3f}\n")
    lock.flush()


def acquire_run_lock(archive_path: str | Path) -> IO[str] | None:
    """An exclusive lock beside the archive for the life of this process, or None when another run
    holds it. The kernel releases it when the process ends, ``kill -9`` included."""
    lock_path = Path(f"{archive_path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = lock_path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle
