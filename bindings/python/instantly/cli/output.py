"""Results on standard output: JSON (one document; the default when stdout is not a terminal, so
pipes and scripts get data) or a table for people (the default on a terminal), as gh and stripe do.

    json    one JSON document, indented: an object, an array (a list, a page, or every item of
            every page with --all, streamed as they arrive) or null
    table   a list: one row per item, columns = the items' top-level scalar fields (id, name,
            email, status first, timestamps last), long cells cut with "…"; one object: key/value
            rows; nested values as compact JSON
"""
from __future__ import annotations

import dataclasses
import datetime
import enum
import json
import shutil
import sys
from collections.abc import Iterable, Mapping
from typing import Any, Dict, List, Optional, TextIO

from .._models import BaseModel, to_jsonable
from .._pagination import SyncPage

__all__ = ["FORMATS", "Output", "plain"]

FORMATS = ("json", "table")

# Columns people look for first; the rest of the scalar fields follow, timestamps last.
_FIRST = ("id", "name", "label", "email", "first_name", "last_name", "company_name", "title", "subject", "status",
          "level", "campaign_id", "campaign_name", "event_type", "type")
# ...then when it happened (the API's usual names), then the other scalar fields.
_TIMESTAMPS = ("timestamp_created", "created_at")
_MAX_CELL = 40
_MAX_COLUMNS = 8


def plain(value: Any) -> Any:
    """Any result as JSON data: models, enums, the workflow results (to_dict or dataclasses) and
    datetimes."""
    if isinstance(value, BaseModel):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "to_dict") and callable(value.to_dict):
        return plain(value.to_dict())
    return to_jsonable(value)


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _cell(value: Any, width: int = _MAX_CELL) -> str:
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif _is_scalar(value):
        text = str(value)
    else:
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    text = " ".join(text.split())  # no newlines or tabs inside a row
    return text if len(text) <= width else text[:width - 1] + "…"


def _is_timestamp(key: str) -> bool:
    return key.startswith("timestamp") or key.endswith("_at") or key.endswith("_date")


def _columns(rows: List[Dict[str, Any]], terminal_width: int) -> List[str]:
    seen: Dict[str, bool] = {}
    for row in rows:
        for key, value in row.items():
            seen[key] = seen.get(key, True) and _is_scalar(value)
    scalar = [key for key, ok in seen.items() if ok]
    ordered = [k for k in _FIRST + _TIMESTAMPS if k in seen and seen[k]]
    ordered += [k for k in scalar if k not in ordered and not _is_timestamp(k)]
    ordered += [k for k in scalar if k not in ordered]
    chosen: List[str] = []
    used = 0
    for key in ordered:
        width = min(_MAX_CELL, max([len(key)] + [len(_cell(row.get(key))) for row in rows]))
        if chosen and used + width + 2 > terminal_width:
            continue  # too wide for what is left: a narrower field further on may still fit
        chosen.append(key)
        used += width + 2
        if len(chosen) == _MAX_COLUMNS:
            break
    return chosen or list(seen)[:1]


class Output:
    """Writes results in one format to one stream."""

    def __init__(self, fmt: Optional[str], stream: TextIO = sys.stdout) -> None:
        self.stream = stream
        self.format = fmt or ("table" if stream.isatty() else "json")

    # ---- JSON --------------------------------------------------------------------------------

    def _json(self, data: Any) -> None:
        self.stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        self.stream.flush()

    def _json_stream(self, items: Iterable[Any]) -> None:
        """An array written item by item, so `--all` shows the first page before the last is
        fetched and memory stays flat."""
        first = True
        self.stream.write("[")
        for item in items:
            text = json.dumps(plain(item), indent=2, ensure_ascii=False).replace("\n", "\n  ")
            self.stream.write(("\n  " if first else ",\n  ") + text)
            self.stream.flush()
            first = False
        self.stream.write("]\n" if first else "\n]\n")
        self.stream.flush()

    # ---- tables ------------------------------------------------------------------------------

    def table(self, rows: List[Any], columns: Optional[List[str]] = None) -> None:
        """A list as one row per item (scalars: one column)."""
        data = [plain(row) for row in rows]
        if not data:
            self.stream.write("(no results)\n")
            return
        if not all(isinstance(row, dict) for row in data):
            data = [{"value": row} for row in data]
        width = shutil.get_terminal_size((120, 24)).columns
        columns = columns or _columns(data, width)
        cells = [[_cell(row.get(key)) for key in columns] for row in data]
        widths = [max(len(key), *(len(r[i]) for r in cells)) for i, key in enumerate(columns)]
        lines = ["  ".join(key.upper().ljust(w) for key, w in zip(columns, widths)).rstrip()]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
        self.stream.write("\n".join(lines) + "\n")
        self.stream.flush()

    def key_values(self, data: Dict[str, Any]) -> None:
        """One object as `key  value` lines."""
        if not data:
            self.stream.write("(empty)\n")
            return
        width = max(len(key) for key in data)
        for key, value in data.items():
            self.stream.write(f"{key.ljust(width)}  {_cell(value, 80)}\n")
        self.stream.flush()

    # ---- any result --------------------------------------------------------------------------

    def emit(self, result: Any, *, all_pages: bool = False) -> None:
        """A method's result: a page (its items; every page's with all_pages), a list, an object,
        a scalar or None."""
        if isinstance(result, SyncPage):
            if self.format == "json":
                if all_pages:
                    self._json_stream(result)
                else:
                    self._json_stream(result.items)
            else:
                self.table(list(result) if all_pages else result.items)
            return
        data = plain(result)
        if self.format == "json":
            self._json(data)
        elif isinstance(data, list):
            self.table(data)
        elif isinstance(data, dict):
            self.key_values(data)
        elif data is None:
            self.stream.write("(no content)\n")
        else:
            self.stream.write(f"{_cell(data, 10_000)}\n")
