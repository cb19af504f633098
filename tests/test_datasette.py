"""The archive in a real Datasette with the project's plugin: the same search language as ``export
--query`` (the same articles for the same text), a friendly message for a query that makes no search,
and the archive's descriptions whatever the file is called. Through Datasette's JSON API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import redirect_stderr
from io import StringIO
from pathlib import Path

import pytest

from belitong_crawler.archive import Archive
from belitong_crawler.export import main as export_main
from belitong_crawler.mirror_server import MIRROR_ROOT
from tests.conftest import free_port, get_json, serving

EXPECTED = [
    json.loads(p.read_text("utf-8")) for p in sorted((MIRROR_ROOT.parent / "expected").glob("*.json"))
]
CAMPAIGN = [52280, 52296, 52431, 52447]  # the articles with a form of "kampanye"
QUERIES = {
    "berkampanye": CAMPAIGN,  # by its root
    "kampanye": CAMPAIGN,
    "kampa*": CAMPAIGN,
    "nelay*": [52447, 52455],
    '"masa kampanye" ASN': [52431],
    "kampanye -ASN": [52280, 52296, 52447],
    "nelayan OR berkampanye": [52280, 52296, 52431, 52447, 52455],
    "Jum'at": None,  # whatever the export finds, Datasette finds
    "timah OR lada Belitung": None,
    "covid-19": None,
}
MALFORMED = {
    '"masa kampanye': "a quotation mark is not closed",
    "-kampanye": "a search needs a word to find, not only words to leave out",
    "OR kampanye": "OR must stand between two words or phrases",
    "  ** ": "no word to search for",
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mirror's articles stored by the archive's own code, under a name Datasette knows nothing of."""
    path = tmp_path_factory.mktemp("newsroom") / "arsip-redaksi.sqlite"
    store = Archive(path)
    try:
        run = store.begin_run(unrestricted=True)
        for article in EXPECTED:
            store.store(article, run)
        store.mark_pending(60001, "https://belitongekspres.com/read/60001/x", "http_503")
        store.finish_run(run, "finished", complete=True)
    finally:
        store.close()
    return path


@pytest.fixture(scope="module")
def datasette(archive: Path) -> Iterator[str]:
    """``datasette serve ARCHIVE`` as a user runs it: no --metadata, the plugin found by its entry point."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "datasette",
            "serve",
            str(archive),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    root = f"http://127.0.0.1:{port}"
    with serving(server, f"{root}/-/versions.json"):
        yield root


def searched(root: str, text: str) -> dict:
    query = urllib.parse.urlencode({"_search": text, "_col": "title", "_size": "max", "_shape": "objects"})
    return get_json(f"{root}/arsip-redaksi/articles.json?{query}")


def exported(archive: Path, tmp_path: Path, text: str) -> tuple[int, list[int], str]:
    out = tmp_path / "found.jsonl"
    out.unlink(missing_ok=True)
    errors = StringIO()
    with redirect_stderr(errors):
        code = export_main(["--archive", str(archive), f"--query={text}", "-o", str(out)])  # = for "-word"
    ids = (
        [json.loads(line)["article_id"] for line in out.read_text("utf-8").splitlines()] if code == 0 else []
    )
    return code, sorted(ids), errors.getvalue()


def test_the_plugin_is_loaded_by_its_entry_point(datasette: str) -> None:
    plugins = {p["name"]: p for p in get_json(f"{datasette}/-/plugins.json")}
    assert "belitong-crawler" in plugins, (
        "install the project (pip install -e .) so Datasette finds its plugin"
    )
    assert set(plugins["belitong-crawler"]["hooks"]) == {
        "filters_from_request",
        "get_metadata",
        "prepare_connection",
    }


@pytest.mark.parametrize("text", list(QUERIES))
def test_datasette_finds_what_the_export_finds(
    datasette: str, archive: Path, tmp_path: Path, text: str
) -> None:
    code, ids, errors = exported(archive, tmp_path, text)
    assert code == 0, errors
    if QUERIES[text] is not None:
        assert ids == QUERIES[text]
    found = searched(datasette, text)
    assert sorted(row["article_id"] for row in found["rows"]) == ids
    assert f'search matches "{text}"' in found["human_description_en"]


@pytest.mark.parametrize("text", list(MALFORMED))
def test_a_query_that_makes_no_search_is_a_message_in_both(
    datasette: str, archive: Path, tmp_path: Path, text: str
) -> None:
    code, _, errors = exported(archive, tmp_path, text)
    assert code == 2
    assert errors.strip().startswith("export: error: --query: " + MALFORMED[text]), errors
    assert len(errors.strip().splitlines()) == 1
    found = searched(datasette, text)  # a page, not an SQL error
    assert "error" not in found and found["rows"] == []
    assert f"no search was made: {MALFORMED[text]}" in found["human_description_en"]


def test_every_table_described_whatever_the_file_is_called(datasette: str) -> None:
    database = get_json(f"{datasette}/arsip-redaksi.json")
    tables = {t["name"]: t for t in database["tables"]}
    assert tables["articles"]["count"] == len(EXPECTED)
    assert tables["listing_seen"]["hidden"] and tables["article_stems"]["hidden"]
    metadata = get_json(f"{datasette}/-/metadata.json")["databases"]["arsip-redaksi"]["tables"]
    assert "passing reason" in metadata["pending"]["description"]
    assert metadata["articles"]["columns"]["run_id"].startswith("The crawl run")
    assert metadata["articles"]["fts_table"] == "articles_fts"
    pending = get_json(f"{datasette}/arsip-redaksi/pending.json?_shape=array")
    assert [row["article_id"] for row in pending] == [60001]
    faceted = get_json(f"{datasette}/arsip-redaksi/articles.json?_facet=category&_facet=reporter&_size=0")
    categories = {r["value"]: r["count"] for r in faceted["facet_results"]["category"]["results"]}
    assert categories["Pilkada 2024"] == sum(a["category"] == "Pilkada 2024" for a in EXPECTED)
    # every column of every visible table is described
    for name, table in tables.items():
        if table["hidden"] or name not in metadata:
            continue
        columns = get_json(f"{datasette}/arsip-redaksi/{name}.json?_size=0")["columns"]
        described = metadata[name].get("columns", {})
        if described:
            assert set(columns) <= set(described), (name, set(columns) - set(described))
