"""The archive in Datasette: the same search language as ``export --query``, and the archive's
descriptions, for any archive file whatever its name.

Datasette finds this plugin through the package's ``datasette`` entry point (``pip install`` of the
project registers it). For each database that is a crawler archive (an ``articles`` table with an
``articles_fts`` index), it

- replaces the SQL function ``escape_fts``, which Datasette's search box wraps around what was typed,
  with ``search.fts_query``: words match as written or by their root, ``OR``, ``-word``, ``prefix*``
  and ``"a phrase"`` mean what they mean in the export;
- says in the page's description (and the JSON's ``human_description_en``) why a query that makes
  no search (an unclosed quotation mark, only ``-words``) found nothing, instead of an SQL error;
- gives tables and columns their descriptions (``datasette-metadata.json``), the search box, facets
  and sort order.
"""

from __future__ import annotations

import json
import sqlite3
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.filters import FilterArguments

from belitong_crawler.search import FTS_TABLE, QueryError, fts_query

METADATA_FILE = Path(__file__).with_name("datasette-metadata.json")
# What MATCH gets for a query that makes no search: a valid expression that matches nothing.
MATCHES_NOTHING = '""'


@cache
def archive_metadata() -> dict[str, Any]:
    return json.loads(METADATA_FILE.read_text("utf-8"))


def search_expression(text: str | None) -> str:
    """``escape_fts`` for an archive: the export's search language."""
    try:
        return fts_query(text or "")
    except QueryError:
        return MATCHES_NOTHING


def _has_archive_tables(conn: sqlite3.Connection) -> bool:
    names = {
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE name IN ('articles', ?)", (FTS_TABLE,))
    }
    return names == {"articles", FTS_TABLE}


@lru_cache(maxsize=64)
def _is_archive_file(path: str, modified: float) -> bool:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return _has_archive_tables(conn)
    except sqlite3.Error:
        return False


def is_archive(datasette: Any, database: str | None) -> bool:
    db = datasette.databases.get(database) if database else None
    if db is None or not db.path:
        return False
    try:
        modified = Path(db.path).stat().st_mtime
    except OSError:
        return False
    return _is_archive_file(str(db.path), modified)


@hookimpl(trylast=True)  # after Datasette's own prepare_connection, which registers escape_fts
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    if is_archive(datasette, database):
        conn.create_function("escape_fts", 1, search_expression, deterministic=True)


@hookimpl
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> FilterArguments | None:
    search = request.args.get("_search")
    if table != "articles" or search is None or not is_archive(datasette, database):
        return None
    try:
        fts_query(search)
    except QueryError as error:
        return FilterArguments([], human_descriptions=[f"no search was made: {error}"])
    return None


@hookimpl
def get_metadata(datasette: Any, key: str, database: str | None, table: str | None) -> dict[str, Any]:
    metadata = archive_metadata()
    archives = [name for name in datasette.databases if is_archive(datasette, name)]
    if not archives:
        return {}
    found = {name: {"tables": metadata["tables"]} for name in archives}
    return {
        "title": metadata["title"],
        "description": metadata["description"],
        "source": metadata["source"],
        "databases": found,
    }
