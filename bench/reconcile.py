"""The reconcile (instantly.workflows.reconcile) healing a store that missed 10% of its webhook
events: 100 campaigns x 1,000 leads against instantly-mock with Instantly's rate limits on
(the workspace's 100/s and 6,000/min, GET /api/v2/emails 20/min; the client's own rate limiter
waits for them too), and the same store reconciled again once healed, as the baseline.

  * Setup (not measured; the mock's rate limits off, then back on): N campaigns (--campaigns,
    default 100) with M leads each (--leads, default 1,000; client.leads.add, 1,000 per call),
    activated; one webhook subscription (all_events) to a collector in this process (a plain
    socket server that only keeps each body); one simulated send step (POST /__mock/send, modest
    rates: ~1.4 events per lead) and every delivery collected (POST /__mock/webhooks/flush).
    A seeded share of the bodies (--missing, default 0.1) is dropped at random: the events
    "never delivered"; the rest is stored into a fresh event store as the receivers store them
    (store_deliveries, then apply_pending), a SQLite file in a temporary directory (or a
    PostgreSQL organisation: --database URL --organization UUID, which should hold no events yet).
  * Measured: the healing run, workflows.reconcile(client, store), with a fresh client and the
    mock's limits on and its request counters reset (GET /__mock/stats after). Then the baseline:
    a second reconcile of the healed store (drift detection only: nothing to backfill), and with
    --force-baseline a third, force=True (every lead and every reply read again; another
    /emails-bound run of several minutes).

Prints wall times, requests (from the mock's counters, a refused 429 included; by endpoint and
status; and the client's side, from an instantly observer: answers other than 200, the rate
limiter's and the retries' waits), events recovered (backfilled) against the events never
delivered (by type, for SQLite), the metrics still different after the healing run (must be 0),
and ratios: requests per recovered event, healing run / in-sync run (time and requests), healing
run / its GET /emails floor. It asserts nothing about timings.

The healing run is bound by GET /api/v2/emails at 20 requests a minute: every campaign whose
store lacks a reply reads its received emails (a page per 100, and one more when a page comes
back full), so 100 campaigns take at least 4 to 5 minutes however fast the rest is; the whole
script takes about 6 to 7 minutes (--force-baseline: 5 more).

    PYTHONPATH=build/release/python /usr/bin/python3 bench/reconcile.py --build build/release
        [--campaigns 100] [--leads 1000] [--missing 0.1] [--seed 7] [--force-baseline]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import socket
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from typing import Any, Dict, List, Optional, Sequence

from mock_server import MockServer

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

API_KEY = "bench-reconcile-key"
USER_AGENT = "instantly-bench-reconcile/1.0"
SCHEDULE = {"schedules": [{"name": "Weekdays", "timing": {"from": "09:00", "to": "17:00"},
                           "days": {"1": True, "2": True, "3": True, "4": True, "5": True},
                           "timezone": "America/Chicago"}]}
# Modest rates: with the send itself, ~1.44 webhook events per lead.
RATES = {"opened": 0.3, "clicked": 0.05, "replied": 0.05, "bounced": 0.02, "unsubscribed": 0.01, "auto_reply": 0.01}
EMAILS_PER_MINUTE = 20  # GET /api/v2/emails
RECEIVED_AT = "2026-01-01T00:00:00.000Z"
# The event types the reconcile rebuilds (from POST /leads/list and GET /emails): reconcile_backfill.py.
REBUILT = {"email_sent", "email_opened", "link_clicked", "email_bounced", "lead_unsubscribed", "reply_received",
           "auto_reply_received"}


def Mock(binary: str, args: Sequence[str]) -> MockServer:
    return MockServer(binary, args, api_key=API_KEY, user_agent=USER_AGENT)


class Collector:
    """Keeps every delivery's body and answers 200, as fast as one Python thread can: the mock
    delivers one webhook at a time on a fresh connection, so a plain accept loop (no thread per
    connection, no http.server parsing) is all it needs."""

    def __init__(self) -> None:
        self.bodies: List[bytes] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/hook"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return  # closed
            with connection:
                try:
                    self._one(connection)
                except (OSError, ValueError):
                    pass

    def _one(self, connection: socket.socket) -> None:
        connection.settimeout(30)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = connection.recv(max(65536, length - len(body)))
            if not chunk:
                return
            body += chunk
        self.bodies.append(body[:length])
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def close(self) -> None:
        self.sock.close()


def log(message: str) -> None:
    """Progress, on stderr (stdout carries the results)."""
    print(message, file=sys.stderr, flush=True)


def set_up(instantly: Any, mock: Mock, collector: Collector, campaigns: int, leads: int, seed: int) -> Dict[str, Any]:
    """Campaigns with leads, activated, one send step; waits until every delivery is collected."""
    started = time.perf_counter()
    ids: List[str] = []
    with instantly.Client(api_key=API_KEY, base_url=mock.url, user_agent=USER_AGENT, rate_limit=False) as client:
        client.webhooks.create(target_hook_url=collector.url, event_type="all_events")
        for n in range(campaigns):
            campaign = client.campaigns.create(name=f"Reconcile bench {n}", campaign_schedule=SCHEDULE)
            for first in range(0, leads, 1000):
                client.leads.add(campaign_id=campaign.id,
                                 leads=[{"email": f"owner{i}@shop{n}.example", "first_name": f"Owner{i}"}
                                        for i in range(first, min(leads, first + 1000))])
            client.campaigns.activate(campaign.id)
            ids.append(str(campaign.id))
    created = time.perf_counter()
    sent = mock.admin("POST", "/send", {"seed": seed, "rates": RATES})
    expected = sum(int(n) for n in sent.get("events", {}).values())
    log(f"setup: {campaigns} campaigns x {leads} leads in {created - started:.1f} s; the send step made "
        f"{expected:,} events; collecting their deliveries...")
    while not mock.admin("POST", "/webhooks/flush", {"timeout_ms": 10000}).get("idle"):
        log(f"  {len(collector.bodies):,} deliveries so far ({time.perf_counter() - created:.0f} s)")
    return {"ids": ids, "expected": expected, "events": sent.get("events", {}),
            "create_seconds": created - started, "deliver_seconds": time.perf_counter() - created}


def store_bodies(store: Any, bodies: Sequence[bytes]) -> None:
    """As a receiver's forwarder and engagement worker do, in batches."""
    from instantly import webhooks
    from instantly._receiver.rows import event_row

    for start in range(0, len(bodies), 5000):
        rows = [event_row(webhooks.parse(body), body, RECEIVED_AT) for body in bodies[start:start + 5000]]
        store.store_deliveries(rows, [])
        while store.apply_pending(256) > 0:
            pass


def event_type(body: bytes) -> str:
    return str(json.loads(body).get("event_type"))


def backfilled_by_type(path: Optional[str]) -> Optional[Counter]:
    """The events the reconcile stored (their payloads name `instantly_backfill`), by type; SQLite only."""
    if path is None:
        return None
    with sqlite3.connect(path) as db:
        return Counter(dict(db.execute("SELECT event_type, COUNT(*) FROM events "
                                       "WHERE body LIKE '%\"instantly_backfill\"%' GROUP BY event_type")))


class Requests:
    """The client's side of the same requests (an instantly observer): answers by endpoint and
    status, the client rate limiter's waits and the retries' waits (after a 429, Retry-After)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> Dict[str, Any]:
        with self.lock:
            taken = dict(getattr(self, "seen", {}))
            self.seen: Dict[str, Any] = {"answers": Counter(), "limiter_waits": Counter(), "retry_waits": Counter()}
        return taken

    def on_attempt(self, event: Any) -> None:
        with self.lock:
            self.seen["answers"][(f"{event.method} {event.path_template}", event.status or event.failure)] += 1

    def on_rate_limit_wait(self, event: Any) -> None:
        with self.lock:
            self.seen["limiter_waits"][event.bucket] += event.waited

    def on_retry(self, event: Any) -> None:
        with self.lock:
            self.seen["retry_waits"][f"{event.method} {event.path_template}"] += event.delay


def measure(mock: Mock, requests: Requests, run: Any) -> Dict[str, Any]:
    """One reconcile with the mock's counters (and the client's) reset first: its report, wall time
    and requests."""
    mock.admin("POST", "/stats/reset", {})
    requests.reset()
    started = time.perf_counter()
    report = run()
    seconds = time.perf_counter() - started
    return {"report": report, "seconds": seconds, "stats": mock.admin("GET", "/stats"), "client": requests.reset()}


def remaining(report: Any) -> Dict[str, int]:
    """How much the store and the API still differ after a run: (campaign, metric) pairs, the sum
    of |remaining|, campaigns with an error."""
    pairs = [m for c in report.campaigns for m in c.metrics if m.remaining != 0]
    return {"pairs": len(pairs), "total": sum(abs(m.remaining) for m in pairs),
            "errors": sum(1 for c in report.campaigns if c.error is not None)}


def requests_text(stats: Dict[str, Any]) -> str:
    operations = sorted(stats.get("operations", {}).items(), key=lambda kv: (-kv[1], kv[0]))
    statuses = ", ".join(f"{k}: {v:,}" for k, v in sorted(stats.get("statuses", {}).items()))
    peak = stats.get("peak_per_second", 0)
    return (f"{stats.get('total', 0):,} requests (statuses {statuses or 'none'}; peak {peak}/s)"
            + "".join(f"\n      {n:>6,}  {op}" for op, n in operations))


def client_text(seen: Dict[str, Any]) -> str:
    """What the client saw: answers other than 200 by endpoint, and its waits."""
    parts = [f"{n:,} x {status} on {endpoint}" for (endpoint, status), n in sorted(seen["answers"].items(), key=str)
             if status != 200]
    parts += [f"rate limiter waited {w:.1f} s for {bucket}" for bucket, w in sorted(seen["limiter_waits"].items())]
    parts += [f"retries waited {w:.1f} s on {endpoint}" for endpoint, w in sorted(seen["retry_waits"].items())]
    return "client: " + ("; ".join(parts) if parts else "every answer 200, no wait")


def run_text(label: str, run: Dict[str, Any]) -> str:
    report = run["report"]
    left = remaining(report)
    drifted = sum(1 for c in report.campaigns if c.drifted)
    return (f"  {label}: {run['seconds']:.2f} s; {len(report.campaigns)} campaigns, {drifted} drifted; "
            f"{sum(c.leads_listed for c in report.campaigns):,} leads and "
            f"{sum(c.replies_listed for c in report.campaigns):,} received emails listed; "
            f"{report.events_backfilled:,} events backfilled; metrics remaining different: {left['pairs']} "
            f"(sum {left['total']}), campaigns with an error: {left['errors']}, in sync: {report.in_sync}\n"
            f"    {requests_text(run['stats'])}\n"
            f"    {client_text(run['client'])}")


def emails_answers(seen: Dict[str, Any]) -> Counter:
    """The client's GET /api/v2/emails answers by status."""
    return Counter({status: n for (endpoint, status), n in seen["answers"].items() if endpoint == "GET /api/v2/emails"})


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    parser.add_argument("--campaigns", type=int, default=100)
    parser.add_argument("--leads", type=int, default=1000, help="leads per campaign")
    parser.add_argument("--missing", type=float, default=0.1, help="share of the webhook events never delivered")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--force-baseline", action="store_true",
                        help="also time a force=True reconcile of the healed store (reads every lead and reply again)")
    parser.add_argument("--database", help="a PostgreSQL URL: use this store instead of a SQLite file")
    parser.add_argument("--organization", help="with --database: the organisation (a UUID) whose rows to use")
    args = parser.parse_args(argv)
    if not 0 <= args.missing < 1:
        parser.error("--missing must be in [0, 1)")
    if bool(args.database) != bool(args.organization):
        parser.error("--database and --organization go together")

    sys.path.insert(0, os.path.join(args.build, "python"))
    import instantly
    from instantly import workflows

    binary = os.path.join(args.build, "tools", "mock", "instantly-mock")
    print(f"Reconcile of {args.campaigns} campaigns x {args.leads:,} leads with {args.missing:.0%} of the webhook "
          f"events never delivered, against instantly-mock with Instantly's rate limits on (100/s, 6,000/min; "
          f"GET /api/v2/emails 20/min), seed {args.seed}; store: "
          f"{'PostgreSQL' if args.database else 'SQLite'}.")
    wait = 60 * max(0, math.ceil(args.campaigns / EMAILS_PER_MINUTE) - 1)
    print(f"The healing run is bound by GET /api/v2/emails at {EMAILS_PER_MINUTE}/min: every campaign missing a reply "
          f"reads its received emails (a page per 100), so {args.campaigns} campaigns need at least "
          + (f"{wait // 60} min however fast the rest is (the first {EMAILS_PER_MINUTE} pages at once, then "
             f"{EMAILS_PER_MINUTE} a minute); expect several minutes in all." if wait else
             f"{args.campaigns} pages: within the first minute's {EMAILS_PER_MINUTE}, no wait."))
    with tempfile.TemporaryDirectory(prefix="bench-reconcile-") as tmp, \
            Mock(binary, ["--no-rate-limit", "--seed", str(args.seed)]) as mock:
        collector = Collector()
        try:
            setup = set_up(instantly, mock, collector, args.campaigns, args.leads, args.seed)
        finally:
            collector.close()
        bodies = list(collector.bodies)
        order = list(range(len(bodies)))
        random.Random(args.seed).shuffle(order)
        dropped = set(order[:round(len(bodies) * args.missing)])
        kept = [body for i, body in enumerate(bodies) if i not in dropped]
        never = Counter(event_type(bodies[i]) for i in dropped)

        path = None if args.database else os.path.join(tmp, "events.db")
        store = (workflows.open_event_store(database=args.database, organization=args.organization) if args.database
                 else workflows.open_event_store(path))
        started = time.perf_counter()
        store_bodies(store, kept)
        store_seconds = time.perf_counter() - started
        delivered = Counter(event_type(body) for body in bodies)
        print(f"Setup (not measured): campaigns and leads {setup['create_seconds']:.1f} s; {len(bodies):,} webhook "
              f"deliveries collected in {setup['deliver_seconds']:.1f} s (the send step made {setup['expected']:,}"
              f"{'' if len(bodies) == setup['expected'] else ': MISMATCH'}); {len(kept):,} stored in "
              f"{store_seconds:.1f} s, {len(dropped):,} never delivered.")
        print("  events by type (made / never delivered): "
              + ", ".join(f"{t} {delivered[t]:,}/{never[t]:,}" for t in sorted(delivered)))

        mock.admin("POST", "/rate-limits", {"enabled": True})  # Instantly's limits from here on
        requests = Requests()
        with instantly.Client(api_key=API_KEY, base_url=mock.url, user_agent=USER_AGENT, observer=requests) as client:
            done = [0]

            def progress(result: Any) -> None:
                done[0] += 1
                if done[0] % 10 == 0 or done[0] == args.campaigns:
                    log(f"  healing: {done[0]}/{args.campaigns} campaigns")

            heal = measure(mock, requests, lambda: workflows.reconcile(client, store, on_campaign=progress))
            recovered = backfilled_by_type(path)
            in_sync = measure(mock, requests, lambda: workflows.reconcile(client, store))
            forced = None
            if args.force_baseline:
                forced = measure(mock, requests, lambda: workflows.reconcile(client, store, force=True))
        store.close()

    report = heal["report"]
    backfilled = report.events_backfilled
    print("Runs (wall time; requests counted by the mock):")
    print(run_text("healing run (reconcile of the store that missed events)", heal))
    print(run_text("baseline: in-sync run (the healed store again: drift detection only)", in_sync))
    if forced:
        print(run_text("baseline: force=True (the healed store, every lead and reply read again)", forced))

    rebuildable = sum(n for t, n in never.items() if t in REBUILT)
    others = sorted(t for t in never if t not in REBUILT and never[t])
    print(f"Events recovered (backfilled) vs never delivered: {backfilled:,} / {len(dropped):,}"
          + (f" = {backfilled / len(dropped):.3f}" if dropped else "")
          + (f"; vs those of the types the reconcile rebuilds from the API's lead and email records: {backfilled:,} / "
             f"{rebuildable:,} = {backfilled / max(1, rebuildable):.3f} ({', '.join(others)}: not in those records)"
             if others else ""))
    if recovered is not None:
        types = sorted(set(recovered) | set(never))
        print("  by type (recovered / never delivered): "
              + ", ".join(f"{t} {recovered[t]:,}/{never[t]:,}" for t in types)
              + ("; auto-replies count toward no metric: GET /emails is read only where a reply is missing"
                 if recovered["auto_reply_received"] < never["auto_reply_received"] else ""))
    by_metric: Dict[str, List[int]] = {}
    for campaign in report.campaigns:
        for m in campaign.metrics:
            totals = by_metric.setdefault(m.metric, [0, 0, 0, 0])
            totals[0] += m.local
            totals[1] += m.backfilled
            totals[2] += m.remote
            totals[3] += abs(m.remaining)
    print("  by metric, all campaigns (store before + backfilled = API; |remaining|):")
    for metric, (local, added, remote, left) in by_metric.items():
        print(f"    {metric:<24} {local:>8,} + {added:>6,} = {local + added:>8,}  (API {remote:,}; |remaining| {left})")
    left = remaining(report)
    print(f"Metrics remaining different after the healing run: {left['pairs']} (must be 0)"
          + (f"; campaigns with an error: {left['errors']}" if left["errors"] else ""))

    total = heal["stats"].get("total", 0)
    emails = emails_answers(heal["client"])
    admitted = emails.get(200, 0)  # a refused request does not count in the mock's window
    floor = 60 * max(0, math.ceil(admitted / EMAILS_PER_MINUTE) - 1)
    print("Ratios:")
    if backfilled:
        print(f"  requests per recovered event: {total:,} / {backfilled:,} = {total / backfilled:.4f} "
              f"(events recovered per request: {backfilled / max(1, total):.1f})")
    print(f"  time of healing run / time of in-sync run: {heal['seconds']:.2f} / {in_sync['seconds']:.2f} = "
          f"{heal['seconds'] / in_sync['seconds']:.1f}")
    print(f"  requests of healing run / requests of in-sync run: {total:,} / {in_sync['stats'].get('total', 0):,} = "
          f"{total / max(1, in_sync['stats'].get('total', 0)):.1f}")
    refused = sum(emails.values()) - admitted
    if floor:
        print(f"  time of healing run / its GET /emails floor ({admitted} pages answered at {EMAILS_PER_MINUTE}/min, "
              f"the first {EMAILS_PER_MINUTE} at once: {floor} s): {heal['seconds'] / floor:.2f}"
              + (f" ({refused} more answered 429: the mock's window refused what the client's limiter let through,"
                 f" and the client waited Retry-After)" if refused else ""))
    elif emails:
        print(f"  GET /emails pages: {admitted} (within one minute's {EMAILS_PER_MINUTE}: no wait)")
    if forced:
        print(f"  time of healing run / time of force=True run: {heal['seconds']:.2f} / {forced['seconds']:.2f} = "
              f"{heal['seconds'] / forced['seconds']:.2f}; requests: {total:,} / {forced['stats'].get('total', 0):,} = "
              f"{total / max(1, forced['stats'].get('total', 0)):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
