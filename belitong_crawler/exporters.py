"""Feed exporters: Scrapy's own, with the contract's CSV rule for lists."""

from __future__ import annotations

from typing import Any

from scrapy.exporters import CsvItemExporter

LIST_SEPARATOR = " | "


class ArticleCsvItemExporter(CsvItemExporter):
    """CSV with list fields (tags, related_urls) written as their values joined by `` | ``."""

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return LIST_SEPARATOR.join(str(v) for v in value)
        return super().serialize_field(field, name, value)
