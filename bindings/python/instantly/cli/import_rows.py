"""The input file of `instantly import`, read whole and checked before anything is sent: each good
row becomes a lead (with its line number, for the report), each broken row a BadRow naming its
line and what is wrong.

Formats: CSV with a header row, or JSON lines (one object per line). Rows are either the old
pipeline's businesses (name, email, category, city, ... mapped by workflows.business_to_lead,
docs/migration.md) or leads (email, first_name, last_name, company_name, ...; any other column
becomes a custom variable). `mapping="auto"` takes businesses when the columns have `name` but
no `first_name`/`last_name`.

Broken rows: a CSV row with more or fewer fields than the header, text that is not UTF-8, a JSON
line that is not an object, a missing or malformed email, a business without a name.
"""
from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

from .._exceptions import ValidationError
from .exit_codes import UsageError

__all__ = ["Row", "BadRow", "Rows", "read_rows", "FORMATS", "MAPPINGS"]

FORMATS = ("auto", "csv", "jsonl")
MAPPINGS = ("auto", "business", "lead")

#: Top-level members of a lead (LeadAddParamsLead); other CSV columns become custom variables.
LEAD_FIELDS = ("email", "first_name", "last_name", "company_name", "job_title", "phone", "website",
               "personalization", "assigned_to", "pl_value_lead")


@dataclasses.dataclass(frozen=True)
class Row:
    line: int
    lead: Dict[str, Any]


@dataclasses.dataclass(frozen=True)
class BadRow:
    line: int
    reason: str


@dataclasses.dataclass
class Rows:
    format: str
    mapping: str
    good: List[Row]
    bad: List[BadRow]


def _looks_like_email(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    return (bool(at) and bool(local) and "@" not in local and "." in domain.strip(".")
            and not any(ch.isspace() or ch in "<>,;" for ch in address))


def _decoded_lines(data: bytes, bad_lines: Dict[int, str]) -> Iterator[str]:
    """The file's lines as text; a line that is not UTF-8 is replaced (and recorded by number),
    so one bad byte costs one row, not the whole file."""
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as e:
            bad_lines[number] = f"not UTF-8 text (byte 0x{raw[e.start]:02x} at column {e.start + 1})"
            yield raw.decode("utf-8", errors="replace")


def _detect_format(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    return "jsonl" if data.lstrip().startswith(b"{") else "csv"


def _lead_from_columns(record: Dict[str, Any]) -> Dict[str, Any]:
    lead: Dict[str, Any] = {}
    custom: Dict[str, Any] = {}
    for key, value in record.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue  # an empty cell is a missing value, not an empty string to store
        if key in LEAD_FIELDS:
            lead[key] = value.strip() if isinstance(value, str) else value
        elif key == "custom_variables" and isinstance(value, dict):
            custom.update(value)
        else:
            custom[key] = value
    if custom:
        lead["custom_variables"] = custom
    return lead


def _to_lead(record: Dict[str, Any], mapping: str) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    """(lead, None) or (None, why the row is broken)."""
    if mapping == "business":
        from ..workflows import business_to_lead
        email = record.get("email")
        if email is None or (isinstance(email, str) and not email.strip()):
            return None, "email: missing"
        try:
            lead = business_to_lead(record)
        except ValidationError as e:
            return None, str(e)
    else:
        lead = _lead_from_columns(record)
    email = lead.get("email")
    if not isinstance(email, str) or not email.strip():
        return None, "email: missing"
    if not _looks_like_email(email.strip()):
        return None, f"email: {email!r} is not an email address"
    lead["email"] = email.strip()
    return lead, None


def _choose_mapping(mapping: str, columns: Set[str]) -> str:
    if mapping != "auto":
        return mapping
    if "name" in columns and not columns & {"first_name", "last_name"}:
        return "business"
    return "lead"


def _csv_records(path: Path, data: bytes) -> Iterator[Tuple[int, Optional[Dict[str, Any]], Optional[str]]]:
    """(line, record, None) or (line, None, why) per CSV row; blank rows are left out."""
    bad_lines: Dict[int, str] = {}
    reader = csv.reader(_decoded_lines(data.removeprefix(b"\xef\xbb\xbf"), bad_lines))
    try:
        header = next(reader, None)
        if header is None:
            return
        header = [name.strip() for name in header]
        if bad_lines:
            raise UsageError(f"{path}:1: the header row is {bad_lines[1]}")
        if not all(header) or len(set(header)) != len(header):
            raise UsageError(f"{path}:1: the header row needs a distinct, non-empty name per column")
        last = reader.line_num
        for fields in reader:
            first, last = last + 1, reader.line_num
            if not any(field.strip() for field in fields):
                continue
            broken = [bad_lines[n] for n in range(first, last + 1) if n in bad_lines]
            if broken:
                yield first, None, broken[0]
            elif len(fields) != len(header):
                yield first, None, f"{len(fields)} fields, the header has {len(header)}"
            else:
                yield first, dict(zip(header, fields)), None
    except csv.Error as e:
        raise UsageError(f"{path}:{reader.line_num}: not readable as CSV ({e})") from None


def _jsonl_records(data: bytes) -> Iterator[Tuple[int, Optional[Dict[str, Any]], Optional[str]]]:
    bad_lines: Dict[int, str] = {}
    for number, line in enumerate(_decoded_lines(data.removeprefix(b"\xef\xbb\xbf"), bad_lines), start=1):
        if not line.strip():
            continue
        if number in bad_lines:
            yield number, None, bad_lines[number]
            continue
        try:
            record = json.loads(line)
        except ValueError as e:
            yield number, None, f"not valid JSON ({e})"
            continue
        if not isinstance(record, dict):
            yield number, None, f"expected a JSON object, got {type(record).__name__}"
            continue
        yield number, record, None


def read_rows(path: Path, fmt: str = "auto", mapping: str = "auto") -> Rows:
    """Reads and checks the whole file. Raises OSError (missing, unreadable) and UsageError (a
    file that cannot be read as the format at all)."""
    data = path.read_bytes()
    fmt = _detect_format(path, data) if fmt == "auto" else fmt
    records = list(_csv_records(path, data) if fmt == "csv" else _jsonl_records(data))
    columns: Set[str] = set()
    for _, record, _ in records:
        if record is not None:
            columns.update(record)
            break
    mapping = _choose_mapping(mapping, columns)
    rows = Rows(format=fmt, mapping=mapping, good=[], bad=[])
    for line, record, why in records:
        lead: Optional[Dict[str, Any]] = None
        if record is not None:
            lead, why = _to_lead(record, mapping)
        if lead is not None:
            rows.good.append(Row(line, lead))
        else:
            rows.bad.append(BadRow(line, why or "unreadable"))
    return rows
