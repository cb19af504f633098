"""Feed exporters: Scrapy's own, with the contract's CSV rules (writers.py), for the crawl's feeds."""

from __future__ import annotations

from typing import Any

from scrapy.exporters import CsvItemExporter

from belitong_crawler.writers import CSV_ENCODING, FORMULA_START, LIST_SEPARATOR, spreadsheet_safe

__all__ = ["FORMULA_START", "LIST_SEPARATOR", "ArticleCsvItemExporter", "spreadsheet_safe"]


class ArticleCsvItemExporter(CsvItemExporter):
    """CSV that spreadsheet programs open right: UTF-8 with a byte-order mark (so Excel shows curly
    quotes and accented names), list fields joined by `` | ``, and no cell that can run as a formula.
    Newlines inside bodies are kept in quoted cells, which csv readers and LibreOffice read back."""

    def __init__(self, file: Any, **kwargs: Any) -> None:
        kwargs["encoding"] = CSV_ENCODING
        super().__init__(file, **kwargs)

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            value = LIST_SEPARATOR.join(str(v) for v in value)
        value = super().serialize_field(field, name, value)
        return spreadsheet_safe(value) if isinstance(value, str) else value
