"""The commands that are not one API call: `accounts health`, `sync analytics`,
`webhooks listen|drain|reparse` and `config set-key` / `config show`. (`import` has a module of its own.)"""
from __future__ import annotations

import argparse
import datetime
import getpass
import json
import os
import sys
from typing import Any, Dict, List, Optional

from .._arguments import positive_int
from .._exceptions import Error
from .context import Context
from .exit_codes import FAILURE, CliError, UsageError
from .metrics_server import add_metrics_options, metrics_for, repeat, serving_metrics
from .output import plain
from .parsing import CliParser, add_global_options

__all__ = ["add_accounts_health", "add_sync", "add_webhooks_listen", "add_webhooks_drain", "add_webhooks_reparse",
           "add_config"]

SubParsers = Any


def _date(text: str) -> str:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None
    return text


# ---- instantly accounts health ----------------------------------------------------------------

def add_accounts_health(methods: SubParsers) -> None:
    summary = "workflow: ok / warning / critical per sending account, with the reasons (docs/account-health.md)"
    parser = methods.add_parser("health", help=summary, description=summary, prog="instantly accounts health")
    parser.add_argument("--email", action="append", metavar="ADDRESS",
                        help="check only this account (repeat for several; default: every account)")
    parser.add_argument("--window-days", type=positive_int(), default=7, metavar="N",
                        help="days of sending analytics to judge bounces by (default 7)")
    parser.add_argument("--end-date", type=_date, metavar="YYYY-MM-DD", help="last day of the window (default today)")
    parser.add_argument("--fail-on", choices=("warning", "critical", "never"), default="never",
                        help="exit 1 when any account is at this level or worse (default never)")
    add_metrics_options(parser)
    add_global_options(parser, top=False)
    parser.set_defaults(handler=run_accounts_health)


def run_accounts_health(args: argparse.Namespace, context: Context) -> int:
    metrics = context.observer = metrics_for(args)
    with serving_metrics(metrics, args.metrics_host, args.metrics_port, context.stderr):
        return repeat(args.every, lambda: _check_accounts(args, context, metrics), context.stderr)


def _check_accounts(args: argparse.Namespace, context: Context, metrics: Optional[Any]) -> int:
    from ..workflows import AccountHealth
    health = AccountHealth(context.client(), window_days=args.window_days, end_date=args.end_date)
    results = health.check(args.email)
    if metrics is not None:
        metrics.account_health_checked(results)
    if context.output.format == "json":
        context.output.emit(results)
    else:
        context.output.table([{
            "email": r.email, "level": r.level.value, "warmup_score": r.warmup_score,
            "bounce_rate": None if r.bounce_rate is None else f"{r.bounce_rate:.1%}", "sent": r.sent,
            "reasons": ", ".join(reason.code.value for reason in r.reasons)} for r in results],
            ["email", "level", "warmup_score", "bounce_rate", "sent", "reasons"])
    threshold = {"warning": 1, "critical": 2}.get(args.fail_on)
    failing = [r.email for r in results if threshold is not None and r.level.rank >= threshold]
    if failing:
        raise CliError(f"{len(failing)} account(s) at {args.fail_on} or worse: {', '.join(failing[:5])}"
                       + (" ..." if len(failing) > 5 else ""), FAILURE)
    return 0


# ---- instantly sync analytics -----------------------------------------------------------------

def add_sync(commands: SubParsers) -> None:
    parser = commands.add_parser("sync", help="workflow: snapshots of campaign analytics, reconcile with the store",
                                 prog="instantly sync",
                                 description="Workflows that take snapshots of the account's data, and the reconcile"
                                             " of the webhook store with it.")
    add_global_options(parser, top=False)
    kinds = parser.add_subparsers(dest="method", metavar="WHAT", title="what", parser_class=CliParser)
    kinds.required = True
    summary = ("campaign analytics for every (or the chosen) campaign in few calls, with rates, and the "
               "change since the previous run with --state (docs/analytics-sync.md)")
    sync = kinds.add_parser("analytics", help=summary, description=summary, prog="instantly sync analytics")
    sync.add_argument("--campaign", action="append", metavar="ID",
                      help="follow this campaign (repeat for several; default: every campaign, drafts included)")
    sync.add_argument("--start-date", type=_date, metavar="YYYY-MM-DD", help="count events from this day")
    sync.add_argument("--end-date", type=_date, metavar="YYYY-MM-DD", help="count events up to this day")
    sync.add_argument("--overview", action="store_true", help="also fetch the analytics overview")
    sync.add_argument("--daily", choices=("workspace", "per-campaign"), help="also fetch daily rows")
    sync.add_argument("--steps", choices=("workspace", "per-campaign"), help="also fetch per-step rows")
    sync.add_argument("--chunk-size", type=positive_int(), default=100, metavar="N",
                      help="campaign ids per analytics call, 1..1000 (default 100)")
    sync.add_argument("--state", metavar="FILE",
                      help="JSON file with the previous run's snapshots: deltas are computed against it, "
                           "then it is replaced by this run's")
    add_metrics_options(sync)
    add_global_options(sync, top=False)
    sync.set_defaults(handler=run_sync_analytics)
    from .reconcile_commands import add_sync_reconcile
    add_sync_reconcile(kinds)


def _load_state(path: str) -> Optional[List[Dict[str, Any]]]:
    if not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except ValueError as e:
        raise UsageError(f"--state {path}: not valid JSON ({e})") from None
    snapshots = data.get("snapshots") if isinstance(data, dict) else None
    if not isinstance(snapshots, list):
        raise UsageError(f"--state {path}: expected an object with a \"snapshots\" array (a previous run's file)")
    for snapshot in snapshots:
        if isinstance(snapshot, dict) and isinstance(snapshot.get("taken_at"), str):
            snapshot["taken_at"] = datetime.datetime.fromisoformat(snapshot["taken_at"])
    return snapshots


def _save_state(path: str, data: Dict[str, Any]) -> None:
    temporary = f"{path}.tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        json.dump({"snapshots": data["snapshots"]}, f, indent=1)
    os.replace(temporary, path)


def run_sync_analytics(args: argparse.Namespace, context: Context) -> int:
    # The client's observer: the sync's runs (finished, failed) reach the metrics as its events.
    context.observer = metrics_for(args)
    with serving_metrics(context.observer, args.metrics_host, args.metrics_port, context.stderr):
        return repeat(args.every, lambda: _sync_analytics(args, context), context.stderr)


def _sync_analytics(args: argparse.Namespace, context: Context) -> int:
    from ..workflows import AnalyticsSync
    previous = _load_state(args.state) if args.state else None
    sync = AnalyticsSync(context.client(), campaign_ids=args.campaign, chunk_size=args.chunk_size,
                         start_date=args.start_date, end_date=args.end_date, include_overview=args.overview,
                         daily=args.daily and args.daily.replace("-", "_"),
                         steps=args.steps and args.steps.replace("-", "_"))
    try:
        result = sync.sync(previous)
    except (TypeError, KeyError, ValueError) as e:
        if previous is None:
            raise
        raise UsageError(f"--state {args.state}: not a snapshot file of this command ({e})") from None
    data = {
        "taken_at": plain(result.taken_at), "requests": result.requests,
        "snapshots": plain(result.snapshots), "deltas": plain(result.deltas), "dropped": list(result.dropped),
        "overview": plain(result.overview), "daily": plain(result.daily), "steps": plain(result.steps),
    }
    if args.state:
        _save_state(args.state, data)
    if context.output.format == "json":
        context.output.emit(data)
        return 0
    deltas = {d.campaign_id: d for d in result.deltas}
    rows = []
    for s in result.snapshots:
        delta = deltas.get(s.campaign_id)
        rows.append({
            "campaign_id": s.campaign_id, "campaign_name": s.campaign_name, "contacted": s.contacted,
            "emails_sent": s.emails_sent, "new_sent": None if delta is None or delta.first_seen else delta.emails_sent,
            "replies": s.replies_unique, "open_rate": _percent(s.open_rate), "reply_rate": _percent(s.reply_rate),
            "bounce_rate": _percent(s.bounce_rate)})
    context.output.table(rows, ["campaign_id", "campaign_name", "contacted", "emails_sent", "new_sent", "replies",
                                "open_rate", "reply_rate", "bounce_rate"])
    return 0


def _percent(rate: Optional[float]) -> Optional[str]:
    return None if rate is None else f"{rate:.1%}"


# ---- instantly webhooks listen ----------------------------------------------------------------

DEFAULT_EVENTS_DB = "instantly-webhooks.sqlite"


def add_webhooks_listen(methods: SubParsers) -> None:
    from .._receiver import add_arguments
    summary = ("workflow: receive webhooks at POST /webhook/instantly (secret header checked), acknowledge them from a "
               "durable spool, store each event once and fold it into per-lead engagement; SIGINT/SIGTERM stop "
               "cleanly (docs/webhooks.md, docs/nothing-lost.md)")
    parser = methods.add_parser("listen", help=summary, description=summary, prog="instantly webhooks listen")
    add_arguments(parser, modes=False)
    parser.set_defaults(handler=run_webhooks_listen, listen_parser=parser)
    # -o/--output etc. make no sense for a server; only --verbose is accepted (as everywhere).
    parser.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def add_webhooks_drain(methods: SubParsers) -> None:
    from .._receiver import add_spool_arguments, add_store_arguments
    summary = ("workflow: forward every delivery in a receiver's spool into the store, then exit: the spool of a "
               "receiver that is gone (docs/nothing-lost.md)")
    parser = methods.add_parser("drain", help=summary, description=summary, prog="instantly webhooks drain")
    add_store_arguments(parser)
    add_spool_arguments(parser)
    parser.set_defaults(handler=run_webhooks_drain, listen_parser=parser, reparse=False, drain=True)
    parser.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def add_webhooks_reparse(methods: SubParsers) -> None:
    from .._receiver import add_store_arguments
    summary = ("workflow: parse the stored deliveries that did not parse again; those that parse now become events "
               "(docs/nothing-lost.md)")
    parser = methods.add_parser("reparse", help=summary, description=summary, prog="instantly webhooks reparse")
    add_store_arguments(parser)
    parser.set_defaults(handler=run_webhooks_reparse, listen_parser=parser, reparse=True, drain=False)
    parser.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def run_webhooks_listen(args: argparse.Namespace, context: Context) -> int:
    from .._receiver import check_arguments, make_verifier, open_spool, open_store, serve
    check_arguments(args.listen_parser, args, default_db=DEFAULT_EVENTS_DB)
    verifier = make_verifier(args)  # WebhookVerificationError → exit 1 with its message
    store = open_store(args)        # DatabaseError → 1, ValidationError (URL, organisation) → 2
    try:
        spool = open_spool(args)    # SpoolError (locked by another receiver, damaged) → 1
    except BaseException:
        store.close()
        raise
    where = args.db if args.db is not None else "PostgreSQL"
    print(f"instantly: storing webhook events in {where}, spooled in {args.spool}", file=context.stderr, flush=True)
    return serve(args, verifier, store, spool)


def _run_receiver_command(args: argparse.Namespace) -> int:
    from .._receiver import check_arguments, open_store, run_command
    check_arguments(args.listen_parser, args, default_db=DEFAULT_EVENTS_DB, needs_secret=False)
    store = open_store(args)
    try:
        return run_command(args, store)
    except store.Error as e:
        if isinstance(e, Error):
            raise  # DatabaseError: the CLI's own one-line message
        # A driver's error (sqlite3, psycopg): its first line, which names what failed.
        raise CliError(f"the store failed: {type(e).__name__}: {e}", FAILURE) from None


def run_webhooks_drain(args: argparse.Namespace, context: Context) -> int:
    return _run_receiver_command(args)


def run_webhooks_reparse(args: argparse.Namespace, context: Context) -> int:
    return _run_receiver_command(args)


# ---- instantly config -------------------------------------------------------------------------

def add_config(commands: SubParsers) -> None:
    parser = commands.add_parser("config", help="the config file: save the API key, show the settings",
                                 prog="instantly config", description="The config file (mode 0600) and settings.")
    add_global_options(parser, top=False)
    actions = parser.add_subparsers(dest="method", metavar="ACTION", title="actions", parser_class=CliParser)
    actions.required = True
    set_key = actions.add_parser(
        "set-key", prog="instantly config set-key",
        help="save the API key in the config file (read from stdin, or a hidden prompt on a terminal)",
        description="Saves the API key in the config file, created with mode 0600. The key is read from "
                    "standard input (first line) or, on a terminal, from a prompt that does not echo it.")
    add_global_options(set_key, top=False)
    set_key.set_defaults(handler=run_config_set_key)
    show = actions.add_parser("show", prog="instantly config show", help="the settings in effect and where they come "
                              "from (never the key itself)")
    add_global_options(show, top=False)
    show.set_defaults(handler=run_config_show)


def run_config_set_key(args: argparse.Namespace, context: Context) -> int:
    from .config import config_path, read_config, write_config
    path = config_path(getattr(args, "config_file", None))
    if sys.stdin.isatty():
        key = getpass.getpass("Instantly API key (not shown): ")
    else:
        key = sys.stdin.readline()
    key = key.strip()
    if not key:
        raise UsageError("no API key given (empty input)")
    if any(ch.isspace() for ch in key):
        raise UsageError("an API key has no spaces: check what was pasted")
    settings = read_config(path) if path.exists() else {}
    settings["api_key"] = key
    write_config(path, settings)
    print(f"instantly: API key saved in {path} (mode 0600)", file=context.stderr)
    return 0


def run_config_show(args: argparse.Namespace, context: Context) -> int:
    from .config import config_path
    settings = context.settings
    path = config_path(getattr(args, "config_file", None))
    if settings.api_key and settings.api_key_source == "INSTANTLY_API_KEY" and path.exists():
        source = "INSTANTLY_API_KEY (over the config file)"
    else:
        source = settings.api_key_source
    context.output.emit({
        "config_file": str(path), "config_file_exists": path.exists(),
        "api_key": f"set, from {source}" if settings.api_key else "not set",
        "base_url": settings.base_url or "https://api.instantly.ai (default)",
        "workspace": settings.workspace})
    return 0
