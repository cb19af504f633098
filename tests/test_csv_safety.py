"""The spreadsheet-safe CSV rules, checked for real: the exporter's bytes, Python's csv module, LibreOffice
Calc itself (headless, formulas evaluated on import) and the crawl's own CSV feed."""

from __future__ import annotations

import codecs
import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from scrapy.exporters import CsvItemExporter, JsonItemExporter

from belitong_crawler.exporters import ArticleCsvItemExporter
from belitong_crawler.items import ARTICLE_FIELDS, ArticleItem
from belitong_crawler.mirror_server import MirrorServer
from tests.conftest import MirrorCrawl, expected_articles

BODY = (
    "Paragraf pertama menyebut “Pilkada damai” dan Bupati’s pesan, dengan koma.\n\n"
    'Paragraf kedua memuat "kutip lurus", titik koma; dan tanda = di tengah kalimat.\n\n'
    "=Baris ini tampak seperti rumus, tetapi ada di dalam sel, bukan di awalnya.\n\n"
    "Paragraf terakhir: Zoë Éléonore berkata, “Selesai.”"
)
HYPERLINK = '=HYPERLINK("http://x")'


def article(article_id: int, **fields: object) -> ArticleItem:
    item = ArticleItem.empty()
    item.update(
        url=f"https://belitongekspres.com/read/{article_id}/judul",
        article_id=article_id,
        title=f"Judul {article_id}",
        published_at="2024-10-01T18:56:00+07:00",
        date_text="Selasa 01 Oct 2024 - 18:56 WIB",
        reporter="Dodi Pratama",
        editor="Yudiansyah",
        category="Belitung",
        dateline="TANJUNGPANDAN",
        body="Satu paragraf.",
        pages=1,
        word_count=2,
        scraped_at="2024-10-02T01:00:00+00:00",
    )
    item.update(fields)
    return item


ITEMS = [
    article(
        1001,
        body=BODY,
        reporter="Zoë Éléonore",
        tags=["Pilkada", "=1+1"],
        word_count=52,
        pages=3,
        image_caption="Foto: ’Ayu’ di “Tanjung Kelayang”",
    ),
    article(
        1002,
        title=HYPERLINK,
        reporter="+62 812",
        category="-5 persen",
        editor="@admin",
        tags=["=1+1"],
        image_url=None,
        related_urls=["https://belitongekspres.com/read/1001/judul", "-x"],
    ),
    article(
        1003,
        title="Tanpa kategori",
        category=None,
        reporter=None,
        editor="\tTab di depan",
        body="- butir satu\n\n- butir dua",
        tags=[],
        word_count=0,
    ),
]

# What each exported cell must read as (the csv module's view): a would-be formula gets one leading
# apostrophe and nothing else changes; lists are joined by " | "; None is the empty cell.
EXPECTED_ROWS = {
    "1001": {
        "body": BODY,
        "reporter": "Zoë Éléonore",
        "tags": "Pilkada | =1+1",
        "word_count": "52",
        "pages": "3",
        "image_caption": "Foto: ’Ayu’ di “Tanjung Kelayang”",
        "revision": "",
        "related_urls": "",
        "title": "Judul 1001",
        "article_id": "1001",
    },
    "1002": {
        "title": "'" + HYPERLINK,
        "reporter": "'+62 812",
        "category": "'-5 persen",
        "editor": "'@admin",
        "tags": "'=1+1",
        "image_url": "",
        "body": "Satu paragraf.",
        "related_urls": "https://belitongekspres.com/read/1001/judul | -x",
    },
    "1003": {
        "category": "",
        "reporter": "",
        "editor": "'\tTab di depan",
        "body": "'- butir satu\n\n- butir dua",
        "tags": "",
        "word_count": "0",
        "revision": "",
    },
}


def export_csv(path: Path, exporter_class: type[CsvItemExporter] = ArticleCsvItemExporter) -> Path:
    with path.open("wb") as handle:
        exporter = exporter_class(handle, fields_to_export=list(ARTICLE_FIELDS))
        exporter.start_exporting()
        for item in ITEMS:
            exporter.export_item(item)
        exporter.finish_exporting()
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --- 1. the exporter's file, read back by Python ---------------------------------------------------


def test_csv_file_starts_with_utf8_bom(tmp_path: Path) -> None:
    raw = export_csv(tmp_path / "articles.csv").read_bytes()
    assert raw[:3] == codecs.BOM_UTF8
    assert raw[3:].startswith(",".join(ARTICLE_FIELDS).encode())
    assert codecs.BOM_UTF8 not in raw[3:]  # one BOM, at the very start
    assert "Zoë Éléonore".encode() in raw  # real UTF-8, not an escape


def test_csv_cells_read_back_exactly(tmp_path: Path) -> None:
    rows = read_csv(export_csv(tmp_path / "articles.csv"))
    assert len(rows) == len(ITEMS)  # the multi-paragraph body did not split its row
    assert list(rows[0]) == list(ARTICLE_FIELDS)
    by_id = {row["article_id"]: row for row in rows}
    for article_id, expected in EXPECTED_ROWS.items():
        for name, value in expected.items():
            assert by_id[article_id][name] == value, f"{article_id} {name}"
    # Every other cell is the plain text of the item's value: nothing else gets an apostrophe.
    for item, row in zip(ITEMS, rows, strict=True):
        for name in ARTICLE_FIELDS:
            value = item[name]
            if isinstance(value, list):
                value = " | ".join(value)
            plain = "" if value is None else str(value)
            assert row[name] in (plain, "'" + plain), name
            assert row[name].startswith("'") == plain.startswith(("=", "+", "-", "@", "\t", "\r")), name


def test_json_export_is_not_apostrophe_escaped(tmp_path: Path) -> None:
    path = tmp_path / "articles.json"
    with path.open("wb") as handle:
        exporter = JsonItemExporter(handle, fields_to_export=list(ARTICLE_FIELDS), encoding="utf-8")
        exporter.start_exporting()
        for item in ITEMS:
            exporter.export_item(item)
        exporter.finish_exporting()
    got = json.loads(path.read_text("utf-8"))
    assert got == [dict(item) for item in ITEMS]  # the rule is for CSV only: values, lists, None unchanged
    assert got[1]["title"] == HYPERLINK
    assert got[1]["reporter"] == "+62 812"
    assert got[1]["tags"] == ["=1+1"]
    assert got[0]["body"] == BODY


# --- 2. LibreOffice Calc opens the file -----------------------------------------------------------

# CSV import filter options, by position: 44 = comma separator, 34 = double-quote text delimiter,
# 76 = UTF-8, 1 = start at row 1, (5) no column formats, (6) 0 = default language, (7) false = quoted
# fields are NOT forced to text, (8) true = detect special numbers, (9-11) false, (12) 1 = first sheet,
# (13) true = EVALUATE FORMULAS. Everything is set to the most formula-friendly choice, so the only
# thing that can keep a cell from running is the exporter's apostrophe (the control file proves
# formulas really run with these options).
CSV_IMPORT_FILTER = "CSV:44,34,76,1,,0,false,true,false,false,false,1,true"
ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def soffice() -> str:
    path = shutil.which("soffice")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not on PATH, but CI installs it (libreoffice-calc-nogui)")
        pytest.skip("LibreOffice (soffice) is not installed")
    return path


def convert_with_libreoffice(tmp_path: Path, *csv_files: Path) -> dict[str, list[list[dict]]]:
    """Open each CSV in headless Calc and save it as flat ODF XML (.fods); return each file's cells."""
    outdir = tmp_path / "lo-out"
    command = [
        soffice(),
        "--headless",
        "--norestore",
        f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
        f"--infilter={CSV_IMPORT_FILTER}",
        "--convert-to",
        "fods",
        "--outdir",
        str(outdir),
        *(str(f) for f in csv_files),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    sheets = {}
    for csv_file in csv_files:
        converted = outdir / f"{csv_file.stem}.fods"
        assert done.returncode == 0 and converted.exists(), f"{command}\n{done.stdout}\n{done.stderr}"
        sheets[csv_file.stem] = read_fods(converted)
    return sheets


def cell_text(cell: etree._Element) -> str:
    """A cell's text as Calc shows it: one line per <text:p>, with <text:s/>, tabs and line breaks."""

    def inline(node: etree._Element) -> str:
        parts = [node.text or ""]
        for child in node:
            tag = etree.QName(child).localname
            if tag == "s":
                parts.append(" " * int(child.get(f"{{{ODF_TEXT}}}c", "1")))
            elif tag == "tab":
                parts.append("\t")
            elif tag == "line-break":
                parts.append("\n")
            else:
                parts.append(inline(child))
            parts.append(child.tail or "")
        return "".join(parts)

    return "\n".join(inline(p) for p in cell.iter(f"{{{ODF_TEXT}}}p"))


def read_fods(path: Path) -> list[list[dict]]:
    """Rows of cells: text, value type, numeric value, formula and whether it holds a hyperlink."""
    table = etree.parse(str(path)).find(f".//{{{ODF_TABLE}}}table")
    rows = []
    for row in table.iter(f"{{{ODF_TABLE}}}table-row"):
        cells = []
        for cell in row.iter(f"{{{ODF_TABLE}}}table-cell", f"{{{ODF_TABLE}}}covered-table-cell"):
            info = {
                "text": cell_text(cell),
                "type": cell.get(f"{{{ODF_OFFICE}}}value-type"),
                "value": cell.get(f"{{{ODF_OFFICE}}}value"),
                "formula": cell.get(f"{{{ODF_TABLE}}}formula"),
                "link": cell.find(f".//{{{ODF_TEXT}}}a") is not None,
            }
            cells += [info] * int(cell.get(f"{{{ODF_TABLE}}}number-columns-repeated", "1"))
        if any(c["text"] or c["formula"] for c in cells):
            rows.append(cells)
    return rows


def as_records(rows: list[list[dict]]) -> list[dict[str, dict]]:
    header = [c["text"] for c in rows[0]]
    assert header[: len(ARTICLE_FIELDS)] == list(ARTICLE_FIELDS)
    return [dict(zip(ARTICLE_FIELDS, row, strict=False)) for row in rows[1:]]


@pytest.fixture(scope="module")
def calc(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, dict]]]:
    tmp_path = tmp_path_factory.mktemp("libreoffice")
    safe = export_csv(tmp_path / "articles.csv")
    # Control: the same items through Scrapy's stock CSV exporter (no apostrophes, lists joined by ",").
    stock = export_csv(tmp_path / "stock.csv", CsvItemExporter)
    sheets = convert_with_libreoffice(tmp_path, safe, stock)
    return {name: as_records(rows) for name, rows in sheets.items()}


def test_libreoffice_control_really_evaluates_formulas(calc: dict[str, list[dict[str, dict]]]) -> None:
    # Without the apostrophe, Calc (with these import options) runs the cells: the test is meaningful.
    stock = {r["article_id"]["value"]: r for r in calc["stock"]}
    assert stock["1002"]["tags"]["formula"] == "of:=1+1"
    assert stock["1002"]["tags"]["value"] == "2"
    assert stock["1002"]["tags"]["text"] == "2"
    assert stock["1002"]["title"]["formula"] == 'of:=HYPERLINK("http://x")'
    assert stock["1002"]["title"]["text"] == "http://x"


def test_libreoffice_reads_one_row_per_item(calc: dict[str, list[dict[str, dict]]]) -> None:
    records = calc["articles"]
    assert len(records) == len(ITEMS)  # multi-line bodies did not split into extra rows
    assert [r["article_id"]["value"] for r in records] == ["1001", "1002", "1003"]
    assert [r["article_id"]["type"] for r in records] == ["float"] * 3  # ints stay numbers


def test_libreoffice_keeps_body_paragraphs_and_characters(calc: dict[str, list[dict[str, dict]]]) -> None:
    first = calc["articles"][0]
    # Calc stores a multi-line cell as one <text:p> per line ("\n\n" -> a paragraph, an empty one, a
    # paragraph), so joining the lines with "\n" must give the body back exactly.
    assert first["body"]["text"] == BODY
    assert first["body"]["type"] == "string"
    assert first["body"]["formula"] is None  # an inner line starting with "=" is just text
    assert first["reporter"]["text"] == "Zoë Éléonore"
    assert first["image_caption"]["text"] == "Foto: ’Ayu’ di “Tanjung Kelayang”"
    assert first["tags"]["text"] == "Pilkada | =1+1"
    assert first["word_count"]["value"] == "52"
    assert first["revision"]["text"] == ""


def test_libreoffice_shows_formula_like_cells_as_text(calc: dict[str, list[dict[str, dict]]]) -> None:
    # What LibreOffice 7.4 shows for an apostrophe-prefixed cell in an imported CSV: the apostrophe is
    # NOT swallowed as a "text" marker (as it is when typed into a cell); the cell is a plain string
    # whose visible text is the whole field, apostrophe included, e.g. '=HYPERLINK("http://x") and
    # '=1+1. No formula, no computed value (2), no hyperlink.
    records = {r["article_id"]["value"]: r for r in calc["articles"]}
    expected = {
        ("1002", "title"): "'" + HYPERLINK,
        ("1002", "tags"): "'=1+1",
        ("1002", "reporter"): "'+62 812",
        ("1002", "category"): "'-5 persen",
        ("1002", "editor"): "'@admin",
        ("1003", "body"): "'- butir satu\n\n- butir dua",
        ("1003", "editor"): "'\tTab di depan",
    }
    for (article_id, name), text in expected.items():
        cell = records[article_id][name]
        assert cell["text"] == text, f"{article_id} {name}"
        assert cell["type"] == "string", f"{article_id} {name}"
        assert cell["formula"] is None, f"{article_id} {name}"
        assert cell["value"] is None, f"{article_id} {name}"
        assert not cell["link"], f"{article_id} {name}"
    # None and empty lists are empty cells.
    assert records["1003"]["category"]["text"] == records["1003"]["reporter"]["text"] == ""
    assert records["1002"]["image_url"]["text"] == ""


# --- 3. the crawl's own CSV feed --------------------------------------------------------------------


def test_crawl_csv_feed(mirror: MirrorServer, mirror_crawl: MirrorCrawl) -> None:
    result = mirror_crawl.csv  # a whole crawl of the mirror, its CSV feed
    assert result.returncode == 0, result.log[-3000:]
    assert result.output.read_bytes()[:3] == codecs.BOM_UTF8
    with result.output.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(ARTICLE_FIELDS)
    assert len(rows) - 1 == 24
    records = {row[1]: dict(zip(ARTICLE_FIELDS, row, strict=True)) for row in rows[1:]}
    expected = expected_articles(mirror.origin)[52431]
    assert records["52431"]["body"] == expected["body"]
    assert records["52431"]["url"] == expected["url"]
