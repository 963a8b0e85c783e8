"""`instantly import FILE --campaign ID`: a CSV or JSON-lines file of leads or businesses into a
campaign (or a lead list), with client.leads.import_leads doing the bulk work.

The whole file is checked before anything is sent. Broken rows stop the import (exit 2, every
broken line named, nothing sent) unless --skip-bad-rows, which imports the good rows, reports the
broken ones and still exits 2. A checkpoint next to the file (FILE.checkpoint) records each
accepted chunk: after Ctrl-C (exit 130) or a failure, the same command sends only what is missing.
The report accounts for every row by line number."""
from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any, Dict, List

from .context import Context
from .exit_codes import AUTH, FAILURE, INTERRUPTED, NOT_FOUND, OK, USAGE, CliError, UsageError
from .import_rows import FORMATS, MAPPINGS, Rows, read_rows
from .parsing import add_global_options
from .progress import MODES, Progress

__all__ = ["add_import", "run_import", "summarize"]

SubParsers = Any

# Outcomes by what the user has to do about them (LeadOutcome names, see _workflows/lead_import.py).
DUPLICATES = ("duplicate_in_campaign", "duplicate_in_list", "duplicate_in_payload")
SKIPPED = ("skipped_by_flags", "blocklisted")
INVALID = ("invalid_email", "incomplete", "rejected_client_side")
FAILED = ("failed", "not_uploaded", "not_attempted")
_SHOWN_BAD_ROWS = 20


def _bounded_int(low: int, high: int):  # type: ignore[no-untyped-def]
    def parse(text: str) -> int:
        try:
            value = int(text, 10)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected an integer {low}..{high}, got {text!r}")
        return value
    return parse


def add_import(commands: SubParsers) -> None:
    summary = "workflow: import a CSV or JSON-lines file of leads or businesses into a campaign or list, resumably"
    parser = commands.add_parser("import", help=summary, prog="instantly import", description=__doc__)
    parser.add_argument("file", metavar="FILE", help="CSV (with a header row) or JSON lines")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--campaign", metavar="ID", help="the campaign to add the leads to")
    target.add_argument("--list", metavar="ID", dest="list_id", help="the lead list to add the leads to")
    parser.add_argument("--format", choices=FORMATS, default="auto", help="default: by the file name, else its content")
    parser.add_argument("--mapping", choices=MAPPINGS, default="auto",
                        help="business: the old pipeline's rows (name, email, category, city, ...); lead: lead "
                             "fields, other columns become custom variables; auto (default): business when there "
                             "is a `name` column and no first_name/last_name")
    parser.add_argument("--checkpoint", metavar="PATH", help="resume file (default: FILE.checkpoint)")
    parser.add_argument("--report", metavar="PATH", help="also write the full report, every row, as JSON")
    parser.add_argument("--skip-bad-rows", action="store_true",
                        help="import the good rows when some are broken (they are reported; exit 2 at the end)")
    parser.add_argument("--progress", choices=MODES, default="auto",
                        help="on stderr: auto (a bar on a terminal, else nothing), bar, lines or none")
    for flag in ("--skip-if-in-workspace", "--skip-if-in-campaign", "--skip-if-in-list", "--verify-leads-on-import"):
        parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=None, help="passed to the API")
    parser.add_argument("--blocklist-id", metavar="ID", help="block list to check the leads against")
    parser.add_argument("--concurrency", type=_bounded_int(1, 64), default=4, metavar="N",
                        help="chunks in flight (default 4)")
    parser.add_argument("--chunk-size", type=_bounded_int(1, 1000), default=1000, metavar="N",
                        help="leads per request, at most 1000 (default)")
    add_global_options(parser, top=False)
    parser.set_defaults(handler=run_import)


def _bad_rows_message(path: str, rows: Rows, skipped: bool) -> str:
    lines = ", ".join(str(bad.line) for bad in rows.bad[:_SHOWN_BAD_ROWS])
    more = f" and {len(rows.bad) - _SHOWN_BAD_ROWS} more" if len(rows.bad) > _SHOWN_BAD_ROWS else ""
    if skipped:
        return f"{path}: {len(rows.bad)} broken row(s) skipped (line {lines}{more}); see the report"
    return (f"{path}: {len(rows.bad)} broken row(s) (line {lines}{more}); nothing was sent. Fix them, or pass "
            f"--skip-bad-rows to import the other {len(rows.good)}")


def summarize(path: str, target: Dict[str, str], rows: Rows, report: Any, checkpoint: str) -> Dict[str, Any]:
    """The import's result, every row accounted for by line: counts, and one entry per row that
    was not uploaded (and, under "rows", every row)."""
    counts = report.counts if report is not None else {}

    def total(names: tuple[str, ...]) -> int:
        return sum(counts.get(name, 0) for name in names)

    problems: List[Dict[str, Any]] = [{"line": bad.line, "outcome": "bad_row", "reason": bad.reason}
                                      for bad in rows.bad]
    every_row: List[Dict[str, Any]] = []
    if report is not None:
        for record in report.outcomes:
            row = rows.good[record.index]
            entry = {"line": row.line, "email": row.lead.get("email"), "outcome": record.outcome,
                     "lead_id": record.lead_id, "reason": record.reason}
            every_row.append(entry)
            if record.outcome != "uploaded":
                problems.append({k: entry[k] for k in ("line", "email", "outcome", "reason")})
    problems.sort(key=lambda p: p["line"])
    return {
        "file": path, **target, "checkpoint": checkpoint, "rows": len(rows.good) + len(rows.bad),
        "sent": total(("uploaded",)), "duplicates": total(DUPLICATES), "skipped": total(SKIPPED),
        "invalid": total(INVALID) + len(rows.bad), "failed": total(FAILED), "bad_rows": len(rows.bad),
        "counts": counts,
        "chunks_resumed": report.chunks_restored if report is not None else 0,
        "stop_reason": report.stop_reason if report is not None else None,
        "ok": bool(report is not None and report.ok and not rows.bad),
        "problems": problems, "_every_row": every_row,
    }


def _write_report(path: str, summary: Dict[str, Any]) -> None:
    data = {k: v for k, v in summary.items() if k != "_every_row"}
    data["every_row"] = summary["_every_row"]
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(temporary, path)


def _exit_code(summary: Dict[str, Any], report: Any) -> int:
    statuses = {record.status for record in report.records("failed")} if summary["failed"] else set()
    if summary["stop_reason"] or statuses & {401, 403}:
        return AUTH
    if 404 in statuses:
        return NOT_FOUND
    if summary["failed"]:
        return FAILURE
    if summary["invalid"]:
        return USAGE
    return OK


def _show(context: Context, summary: Dict[str, Any]) -> None:
    shown = {k: v for k, v in summary.items() if k != "_every_row"}
    if context.output.format == "json":
        context.output.emit(shown)
        return
    context.output.key_values({k: shown[k] for k in ("file", "campaign_id", "list_id", "rows", "sent", "duplicates",
                                                     "skipped", "invalid", "failed", "chunks_resumed", "stop_reason")
                               if k in shown and shown[k] is not None})
    if summary["problems"]:
        context.output.stream.write("\n")
        context.output.table(summary["problems"], ["line", "email", "outcome", "reason"])


def run_import(args: argparse.Namespace, context: Context) -> int:
    path = Path(args.file)
    rows = read_rows(path, args.format, args.mapping)  # OSError (missing file) → exit 2
    target = {"campaign_id": args.campaign} if args.campaign else {"list_id": args.list_id}
    checkpoint = args.checkpoint or f"{args.file}.checkpoint"
    for bad in rows.bad[:_SHOWN_BAD_ROWS]:
        print(f"instantly: {args.file}:{bad.line}: {bad.reason}", file=context.stderr)
    if rows.bad and not args.skip_bad_rows:
        if args.report:
            _write_report(args.report, summarize(args.file, target, rows, None, checkpoint))
        raise UsageError(_bad_rows_message(args.file, rows, skipped=False))
    if not rows.good:
        raise UsageError(f"{args.file}: no leads to import")
    client = context.client()
    context.log(f"importing {len(rows.good)} leads ({rows.format}, {rows.mapping} rows) with checkpoint {checkpoint}")
    progress = Progress(args.progress, context.stderr)
    try:
        report = client.leads.import_leads(
            [row.lead for row in rows.good], campaign_id=args.campaign, list_id=args.list_id, progress=progress,
            concurrency=args.concurrency, checkpoint=checkpoint, chunk_size=args.chunk_size,
            skip_if_in_workspace=args.skip_if_in_workspace, skip_if_in_campaign=args.skip_if_in_campaign,
            skip_if_in_list=args.skip_if_in_list, blocklist_id=args.blocklist_id,
            verify_leads_on_import=args.verify_leads_on_import)
    except KeyboardInterrupt:
        progress.close()
        print(f"instantly: interrupted; the chunks sent are recorded in {checkpoint}: run the same command "
              "again to send the rest", file=context.stderr, flush=True)
        return INTERRUPTED
    progress.close()
    summary = summarize(args.file, target, rows, report, checkpoint)
    if args.report:
        _write_report(args.report, summary)
    _show(context, summary)
    code = _exit_code(summary, report)
    if code == OK and not rows.bad:
        return OK
    raise CliError(_failure_message(args.file, rows, summary, checkpoint), code if code != OK else USAGE)


def _failure_message(path: str, rows: Rows, summary: Dict[str, Any], checkpoint: str) -> str:
    parts = []
    if summary["stop_reason"]:
        parts.append(f"the import stopped: {summary['stop_reason']}")
    if summary["failed"]:
        parts.append(f"{summary['failed']} lead(s) not imported (run the same command again to retry them; "
                     f"{checkpoint} keeps what was accepted)")
    invalid = summary["invalid"] - len(rows.bad)
    if invalid:
        parts.append(f"{invalid} lead(s) rejected as invalid")
    if rows.bad:
        parts.append(_bad_rows_message(path, rows, skipped=True))
    return "; ".join(parts) + " (lines in the report)"
