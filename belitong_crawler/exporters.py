"""Feed exporters: Scrapy's own, with the contract's CSV rules, for crawl feeds and archive exports."""

from __future__ import annotations

from typing import Any

from scrapy.exporters import CsvItemExporter

LIST_SEPARATOR = " | "
# A cell that opens with one of these would run as a formula in a spreadsheet program (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe before a would-be formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


class ArticleCsvItemExporter(CsvItemExporter):
    """CSV that spreadsheet programs open right: UTF-8 with a byte-order mark (so Excel shows curly
    quotes and accented names), list fields joined by `` | ``, and no cell that can run as a formula.
    Newlines inside bodies are kept in quoted cells, which csv readers and LibreOffice read back."""

    def __init__(self, file: Any, **kwargs: Any) -> None:
        kwargs["encoding"] = "utf-8-sig"
        super().__init__(file, **kwargs)

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            value = LIST_SEPARATOR.join(str(v) for v in value)
        value = super().serialize_field(field, name, value)
        return spreadsheet_safe(value) if isinstance(value, str) else value
