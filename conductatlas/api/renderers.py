"""CSV for exports: `?format=csv` or `Accept: text/csv`, one row per item, quoted as RFC 4180 says."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rest_framework.renderers import BaseRenderer


def cell_text(value: Any) -> str:
    """How a value reads in one spreadsheet cell: lists joined with ' | ', a dict by its label."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return " | ".join(cell_text(item) for item in value)
    if isinstance(value, dict):
        return str(value["label"]) if "label" in value else json.dumps(value, ensure_ascii=False)
    return str(value)


class CsvRenderer(BaseRenderer):
    """Renders `{"columns": [...], "rows": [{...}]}`; an error renders as one row of status, code, message."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        buffer = io.StringIO()
        # The csv module quotes any cell with a comma, quote or line break, doubling inner quotes.
        writer = csv.writer(buffer, lineterminator="\r\n")
        if isinstance(data, dict) and "error" in data:
            error = data["error"]
            writer.writerow(["status", "code", "message"])
            writer.writerow([error.get("status"), error.get("code"), error.get("message")])
        elif isinstance(data, dict) and "rows" in data:
            columns = data.get("columns") or (list(data["rows"][0]) if data["rows"] else [])
            writer.writerow(columns)
            for row in data["rows"]:
                writer.writerow([cell_text(row.get(column)) for column in columns])
        # A byte-order mark, so that spreadsheet programs read the UTF-8 (quotes in any language) as UTF-8.
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class ZipRenderer(BaseRenderer):
    """Passes a zip's bytes through; lets `Accept: application/zip` negotiate."""

    media_type = "application/zip"
    format = "zip"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, bytes):
            return data
        # An error (a dict) on a zip request: JSON is the only sensible body.
        return json.dumps(data).encode("utf-8")
