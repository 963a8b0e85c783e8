"""`instantly sync reconcile` and `instantly webhooks watch`: the two halves of "nothing lost" that
run beside the receivers (docs/nothing-lost.md). The watcher resumes subscriptions Instantly
disabled and records the gap each left; the reconcile compares the store with the API's analytics
and backfills what never arrived. Both run once, or every N seconds with --every (a cron job or a
daemon), and stop cleanly on SIGINT/SIGTERM."""
from __future__ import annotations

import argparse
import signal
import threading
from typing import Any, Callable, Dict, List, Optional

from .._exceptions import Error
from .context import Context
from .exit_codes import FAILURE, INTERRUPTED, OK, CliError
from .metrics_server import _seconds
from .output import plain
from .parsing import add_global_options

__all__ = ["add_sync_reconcile", "add_webhooks_watch"]

SubParsers = Any


def _store_options(parser: argparse.ArgumentParser) -> None:
    from .._receiver import add_store_arguments
    add_store_arguments(parser)


def _watch_options(parser: argparse.ArgumentParser, flag: str) -> None:
    parser.add_argument(flag, dest="watch_url", metavar="URL", nargs="?", const="",
                        help="the receiver's URL: watch only the subscriptions delivering there"
                             + (" (default: every subscription)" if flag == "--url" else
                                "; without URL every subscription. Runs the watcher first and records the gaps"))


def add_sync_reconcile(kinds: SubParsers) -> None:
    summary = ("compare each campaign's analytics with the webhook events the store holds and backfill what never "
               "arrived, from /leads/list and /emails (docs/nothing-lost.md)")
    parser = kinds.add_parser("reconcile", help=summary, description=summary, prog="instantly sync reconcile")
    _store_options(parser)
    parser.add_argument("--campaign", action="append", metavar="ID",
                        help="reconcile this campaign (repeat for several; default: every campaign the store holds "
                             "events of)")
    parser.add_argument("--force", action="store_true",
                        help="backfill every campaign, not only those whose counts differ")
    parser.add_argument("--no-signals", dest="signals", action="store_false",
                        help="do not poll campaign status changes and finished background jobs into the store")
    _watch_options(parser, "--watch")
    parser.add_argument("--every", type=_seconds, metavar="SECONDS",
                        help="run again every SECONDS until SIGINT or SIGTERM")
    add_global_options(parser, top=False)
    parser.set_defaults(handler=run_sync_reconcile, store_parser=parser)


def add_webhooks_watch(methods: SubParsers) -> None:
    summary = ("workflow: resume the webhook subscriptions Instantly disabled, report those whose URL fails, and "
               "record each gap in the store for `instantly sync reconcile` (docs/nothing-lost.md)")
    parser = methods.add_parser("watch", help=summary, description=summary, prog="instantly webhooks watch")
    _watch_options(parser, "--url")
    parser.add_argument("--no-resume", dest="resume", action="store_false",
                        help="only report disabled subscriptions, do not resume them")
    _store_options(parser)
    parser.add_argument("--every", type=_seconds, metavar="SECONDS",
                        help="run again every SECONDS until SIGINT or SIGTERM")
    add_global_options(parser, top=False)
    parser.set_defaults(handler=run_webhooks_watch, store_parser=parser)


# ---- running ----------------------------------------------------------------------------------

def _open_store(args: argparse.Namespace) -> Any:
    """The store the options name (parser.error when they name none)."""
    from .._receiver import check_arguments, open_store
    check_arguments(args.store_parser, args, needs_secret=False)
    return open_store(args)


def _open_store_if_named(args: argparse.Namespace) -> Optional[Any]:
    import os
    if args.db is None and args.database is None and not args.organization \
            and not os.environ.get("INSTANTLY_DATABASE_URL"):
        return None
    return _open_store(args)


def _loop(every: Optional[float], run_once: Callable[[threading.Event], int], context: Context) -> int:
    """Once, or every `every` seconds; SIGINT/SIGTERM set `stop`, which the run in progress sees
    between pages (it reports what it did) and which ends the loop."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if every is None:
            code = run_once(stop)
            return INTERRUPTED if stop.is_set() else code
        while not stop.is_set():
            try:
                run_once(stop)
            except Exception as e:  # noqa: BLE001 - one failed run is reported; the next one runs
                from .exit_codes import classify
                print(f"instantly: error: {classify(e)[1]}", file=context.stderr, flush=True)
            stop.wait(every)
        return OK
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _watch(client: Any, store: Optional[Any], url: Optional[str], resume: bool, context: Context) -> Any:
    from .._receiver.rows import GapRow
    from ..webhooks import watch_subscriptions
    report = watch_subscriptions(client, target_url=url or None, resume_disabled=resume)
    if store is not None and report.gaps:
        store.record_gaps([GapRow(g.webhook_id, g.target_url, str(g.event_type), g.campaign, g.start, g.end, g.resumed)
                           for g in report.gaps])
    for gap in report.gaps:
        verb = "resumed" if gap.resumed else "disabled (not resumed)"
        print(f"instantly: subscription {gap.webhook_id} ({gap.target_url}) {verb}; nothing delivered from "
              f"{gap.start} to {gap.end}", file=context.stderr, flush=True)
    for failing in report.failing:
        print(f"instantly: subscription {failing.webhook.id} ({failing.webhook.target_hook_url}) is failing: "
              f"{failing.last_error}", file=context.stderr, flush=True)
    return report


def run_webhooks_watch(args: argparse.Namespace, context: Context) -> int:
    store = _open_store_if_named(args)

    def once(stop: threading.Event) -> int:
        report = _watch(context.client(), store, args.watch_url, args.resume, context)
        context.output.emit(report)
        return FAILURE if report.errors else OK
    try:
        return _loop(args.every, once, context)
    finally:
        if store is not None:
            store.close()


def run_sync_reconcile(args: argparse.Namespace, context: Context) -> int:
    from ..workflows import reconcile
    store = _open_store(args)

    def progress(campaign: Any) -> None:
        state = "in sync" if campaign.in_sync else (campaign.error or "differences remain")
        print(f"instantly: {campaign.campaign_id}: {campaign.events_backfilled} events backfilled, {state}",
              file=context.stderr, flush=True)

    def once(stop: threading.Event) -> int:
        client = context.client()
        if args.watch_url is not None:
            _watch(client, store, args.watch_url, True, context)
        try:
            report = reconcile(client, store, campaigns=args.campaign, force=args.force, poll_signals=args.signals,
                               stop=stop, on_campaign=progress)
        except store.Error as e:
            if isinstance(e, Error):
                raise  # DatabaseError: the CLI's own one-line message
            raise CliError(f"the store failed: {type(e).__name__}: {e}", FAILURE) from None
        _print_report(report, context)
        return OK if report.in_sync else FAILURE
    try:
        return _loop(args.every, once, context)
    finally:
        store.close()


def _print_report(report: Any, context: Context) -> None:
    if context.output.format == "json":
        data = plain(report)
        data["in_sync"] = report.in_sync
        context.output.emit(data)
        return
    rows: List[Dict[str, Any]] = []
    for campaign in report.campaigns:
        for m in campaign.metrics:
            if m.local != m.remote or m.remaining or m.backfilled:
                rows.append({"campaign_id": campaign.campaign_id, "metric": m.metric, "local": m.local,
                             "remote": m.remote, "backfilled": m.backfilled, "remaining": m.remaining,
                             "reason": m.reason or ""})
        if campaign.error:
            rows.append({"campaign_id": campaign.campaign_id, "metric": "-", "reason": campaign.error})
    context.output.table(rows, ["campaign_id", "metric", "local", "remote", "backfilled", "remaining", "reason"])
    summary = (f"{len(report.campaigns)} campaigns, {sum(not c.drifted for c in report.campaigns)} already in sync, "
               f"{report.events_backfilled} events backfilled, {report.signals_recorded} signals recorded, "
               f"{report.gaps_closed} gaps closed")
    if report.unknown_to_store:
        summary += f"; {len(report.unknown_to_store)} campaigns the store does not know were left alone"
    if report.stopped:
        summary += f"; stopped: {len(report.not_reached)} campaigns not reached (run again to finish)"
    context.output.stream.write(summary + "\n")
