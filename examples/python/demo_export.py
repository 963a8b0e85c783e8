"""The demo's pipeline, the way the old Google Maps pipeline ran, on the SDK (scripts/demo runs it
against instantly-mock):

  1. 10,000 synthetic businesses (synthetic_businesses.py: deterministic, ~1% invalid emails,
     ~1% repeated emails),
  2. exported with the old pipeline's client, now `instantly.compat.InstantlyClient`:
     `export_campaign(...)` creates the campaign, maps each business to a lead, imports them
     (1,000-lead chunks, 4 in flight) with a live progress bar, and activates the campaign,
  3. the C++ webhook receiver (examples/webhook_receiver) subscribed with
     `instantly.webhooks.subscribe`,
  4. a day of sending simulated by the mock (`POST /__mock/send`: step 1 to every lead), every
     webhook delivered (`POST /__mock/webhooks/flush`),
  5. printed: the import report, the engagement the receiver stored, the campaign's analytics,
     and the receiver's own figures from its Prometheus endpoint (GET /metrics).

With --postgres, the same pipeline keeps its data in PostgreSQL (demo_postgres.py): a throwaway
PostgreSQL 15 with the pipeline's schema, the businesses loaded for one organisation, the receiver
writing events and engagement there (row-level security per organisation), the export logged.

    PYTHONPATH=build/release/python python3 examples/python/demo_export.py --base-url http://127.0.0.1:4010

Everything it starts (the receiver) it stops, also on errors and Ctrl-C. Only talks to
--base-url, which must be an instantly-mock (it uses the mock's /__mock admin routes).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from typing import Any, Callable, Dict, List, Optional, TextIO

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import receiver_metrics  # noqa: E402
import synthetic_businesses  # noqa: E402

SECRET_HEADER = "X-Webhook-Secret"
RECEIVER_PATH = "/webhook/instantly"
SENDERS = ("maya@outreach-one.example.com", "leo@outreach-two.example.com", "ana@outreach-three.example.com")
SEQUENCES = [{"steps": [
    {"type": "email", "delay": 0, "variants": [
        {"subject": "{{subject_line}}",
         "body": "Hi {{company_name}} team,\n\n{{icebreaker}}\n\nWould a 10-minute call next week make sense?"}]},
    {"type": "email", "delay": 3, "variants": [
        {"subject": "Re: {{subject_line}}", "body": "Just bumping this up, {{company_name}}."}]},
]}]
OUTCOME_GROUPS = {  # how the report's outcomes are summed up in the printout
    "uploaded": ("uploaded",),
    "duplicates": ("duplicate_in_campaign", "duplicate_in_list", "duplicate_in_payload"),
    "invalid": ("invalid_email", "rejected_client_side", "incomplete"),
    "skipped": ("blocklisted", "skipped_by_flags"),
    "failed": ("failed", "not_uploaded", "not_attempted"),
}


# ---- small helpers --------------------------------------------------------------------------

def admin(base_url: str, method: str, path: str, body: Any = None, timeout: float = 30) -> Any:
    """A call to the mock's admin API (no auth, no latency, no rate limit)."""
    url = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80, timeout=timeout)
    try:
        data = None if body is None else json.dumps(body).encode()
        connection.request(method, path, body=data,
                           headers={"Content-Type": "application/json", "User-Agent": "instantly-demo/1.0"})
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        if not 200 <= response.status < 300:
            raise RuntimeError(f"{method} {path}: HTTP {response.status}: {text[:300]}")
        return json.loads(text) if text else None
    finally:
        connection.close()


class ProgressBar:
    """tqdm when it is installed (Debian: python3-tqdm), otherwise one `\\r` line on stderr."""

    def __init__(self, total: int, label: str, unit: str, mode: str = "auto", stream: TextIO = sys.stderr):
        self.total, self.label, self.unit, self.stream = total, label, unit, stream
        self.done = 0
        self.started = time.monotonic()
        self.bar: Any = None
        self.mode = mode
        if mode in ("auto", "tqdm"):
            try:
                from tqdm import tqdm
                self.bar = tqdm(total=total, desc=label, unit=f" {unit}", unit_scale=False, file=stream,
                                dynamic_ncols=True, smoothing=0.3)
                self.mode = "tqdm"
            except ImportError:
                if mode == "tqdm":
                    raise
                self.mode = "line"

    def update(self, done: int) -> None:
        done = min(int(done), self.total) if self.total else int(done)
        if self.mode == "tqdm":
            self.bar.update(done - self.bar.n)
        elif self.mode == "line":
            elapsed = max(time.monotonic() - self.started, 1e-9)
            pct = f"{100 * done / self.total:5.1f}%" if self.total else ""
            self.stream.write(f"\r{self.label}: {done:,}/{self.total:,} {self.unit} {pct}  "
                              f"{done / elapsed:,.0f} {self.unit}/s   ")
            self.stream.flush()
        self.done = done

    def close(self) -> None:
        if self.mode == "tqdm":
            self.bar.close()
        elif self.mode == "line":
            self.stream.write("\n")
            self.stream.flush()


class Receiver:
    """examples/webhook_receiver on an OS-chosen port, stopped with SIGTERM (it drains first).
    It stores into the SQLite file `db`, or with `database` (a PostgreSQL URL, passed in the
    environment so the password stays out of `ps`) and `organization` into PostgreSQL."""

    def __init__(self, binary: str, db: str, secret: str, database: Optional[str] = None,
                 organization: Optional[str] = None):
        self.binary, self.db, self.secret = binary, db, secret
        self.database, self.organization = database, organization
        self.process: Optional[subprocess.Popen] = None
        self.url = ""
        self.log_path = db + ".log"

    def start(self) -> "Receiver":
        if not os.access(self.binary, os.X_OK):
            raise RuntimeError(f"webhook receiver {self.binary} is not built (cmake --build ... --target webhook_receiver)")
        store = ["--db", self.db] if self.database is None else ["--organization", str(self.organization)]
        # The spool beside the db file, in the demo's work directory (with PostgreSQL the receiver's
        # default would be ./instantly-webhooks.spool, wherever the demo was started from).
        store += ["--spool", self.db + ".spool"]
        env = None if self.database is None else {**os.environ, "INSTANTLY_DATABASE_URL": self.database}
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [self.binary, "--port", "0", *store, "--secret-header", SECRET_HEADER, "--secret", self.secret],
                stdout=subprocess.PIPE, stderr=log, text=True, env=env)
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith("listening on http://"):
            self.stop()
            raise RuntimeError(f"the webhook receiver did not start ({line!r}); see {self.log_path}")
        self.url = line.removeprefix("listening on ")
        return self

    def health(self) -> Dict[str, Any]:
        url = urllib.parse.urlsplit(self.url)
        connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
        try:
            connection.request("GET", "/healthz")
            return json.loads(connection.getresponse().read())
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self.process = None


def default_build() -> str:
    return os.environ.get("INSTANTLY_BUILD_DIR", os.path.join(ROOT, "build", "release"))


def default_receiver() -> str:
    return os.environ.get("INSTANTLY_WEBHOOK_RECEIVER", os.path.join(default_build(), "examples", "webhook_receiver"))


def engagement_counts(db: str, campaign_id: str) -> Dict[str, int]:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = connection.execute(
            "SELECT COUNT(*), COUNT(email_sent_at), COUNT(email_opened_at), COUNT(email_clicked_at),"
            " COUNT(email_replied_at), COUNT(email_bounced_at), COUNT(unsubscribed_at)"
            " FROM engagement WHERE campaign_id = ?", (campaign_id,)).fetchone()
        events = connection.execute("SELECT COUNT(*) FROM events WHERE campaign_id = ?", (campaign_id,)).fetchone()[0]
    finally:
        connection.close()
    keys = ("leads", "sent", "opened", "clicked", "replied", "bounced", "unsubscribed")
    return {**dict(zip(keys, row)), "events": events}


# ---- the pipeline -----------------------------------------------------------------------------

def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> Dict[str, Any]:
    """Runs the whole demo; returns what it printed as numbers (for tests)."""
    import instantly
    import instantly.webhooks
    from instantly.compat import InstantlyClient

    def say(text: str = "") -> None:
        out.write(text + "\n")
        out.flush()

    result: Dict[str, Any] = {}
    receiver: Optional[Receiver] = None
    database = None
    workdir = tempfile.mkdtemp(prefix="instantly-demo-", dir=args.db_dir)
    try:
        if args.postgres:
            import demo_postgres

            database = demo_postgres.DemoDatabase(args.postgres_migrate).start()
            say(f"PostgreSQL 15 on 127.0.0.1:{database.port} (a throwaway one for the demo): schema applied by "
                f"postgres_migrate ({', '.join(database.migrated)}); organisation {database.organization}.")
        with instantly.Client(api_key=args.api_key, base_url=args.base_url) as client:
            # 1. The businesses.
            started = time.monotonic()
            businesses = synthetic_businesses.generate(args.businesses, seed=args.seed)
            expected = synthetic_businesses.expected(businesses)
            say(f"Generated {len(businesses):,} synthetic businesses (seed {args.seed}) in "
                f"{time.monotonic() - started:.2f} s: {expected['invalid']:,} with an invalid email, "
                f"{expected['duplicates']:,} repeating an earlier business's email.")
            if database is not None:
                loaded = database.load_businesses(businesses)
                say(f"Loaded them into PostgreSQL: {loaded:,} rows of `businesses`, all the organisation's.")

            # Sending accounts for the campaign's email_list (the mock keeps them like Instantly).
            for sender in SENDERS:
                local, domain = sender.split("@")
                client.accounts.create(
                    email=sender, first_name=local.capitalize(), last_name="Outreach", provider_code=2,
                    imap_username=sender, imap_password="demo", imap_host=f"imap.{domain}", imap_port=993,
                    smtp_username=sender, smtp_password="demo", smtp_host=f"smtp.{domain}", smtp_port=587)

            # 2. The export, through the old pipeline's client.
            say(f"\nExporting through instantly.compat.InstantlyClient.export_campaign "
                f"({args.concurrency} chunks in flight):")
            bar = ProgressBar(len(businesses), "export", "leads", args.progress)
            exported_at = time.monotonic()
            try:
                with InstantlyClient(client=client) as old_client:
                    exported = old_client.export_campaign(
                        args.campaign_name, businesses, sequences=SEQUENCES, email_list=list(SENDERS),
                        activate=True, concurrency=args.concurrency,
                        progress=lambda p: bar.update(getattr(p, "done", 0)))
            finally:
                bar.close()
            export_seconds = time.monotonic() - exported_at
            campaign_id = exported["campaign_id"]
            report = exported["report"]
            result.update(report_summary(report, exported, len(businesses), export_seconds))
            result["campaign_id"] = campaign_id
            print_report(say, result, campaign_id, exported)
            if database is not None:
                database.record_export(campaign_id, result, export_seconds)

            # 3. The webhook receiver, subscribed to this campaign's events.
            if not args.no_webhooks:
                secret = instantly.webhooks.generate_secret()
                db = os.path.join(workdir, "events.db")
                receiver = Receiver(args.receiver, db, secret,
                                    database=database.app_url if database is not None else None,
                                    organization=database.organization if database is not None else None).start()
                subscription = instantly.webhooks.subscribe(
                    client, target_url=receiver.url + RECEIVER_PATH, campaign=campaign_id,
                    name="demo receiver", header_name=SECRET_HEADER, secret=secret)
                ram = " (a RAM disk: --db-dir puts it elsewhere)" if db.startswith("/dev/shm/") else ""
                where = f"db {db}{ram}" if database is None else "into PostgreSQL as the application role"
                say(f"\nWebhook receiver (examples/webhook_receiver, C++) on {receiver.url}, {where}; "
                    f"subscription {subscription.webhook.id} (all events of the campaign).")

            # 4. A day of sending: step 1 to every lead, outcomes drawn with the mock's default rates.
            send_started = time.monotonic()
            sent = admin(args.base_url, "POST", "/__mock/send", {"campaign_id": campaign_id, "step": 1, "seed": args.seed})
            simulated = {k: int(v) for k, v in sent["events"].items()}
            result["simulated"] = simulated
            say(f"\nSimulated a day of sending (instantly-mock POST /__mock/send, step 1 of 2, seed {args.seed}) "
                f"in {time.monotonic() - send_started:.2f} s: "
                + ", ".join(f"{n:,} {kind}" for kind, n in simulated.items() if n) + ".")

            if receiver is not None:
                deliveries = sum(simulated.values())
                flush_started = time.monotonic()
                wait_for_deliveries(args, receiver, deliveries)
                health = receiver.health()
                stored = int(health.get("events", 0))
                engine = "SQLite" if database is None else "PostgreSQL"
                say(f"Delivered {deliveries:,} webhooks in {time.monotonic() - flush_started:.1f} s "
                    f"(the mock delivers one at a time, each on a new connection; the receiver "
                    f"commits each to {engine} before answering); the receiver stored {stored:,}.")
                folded = wait_for_engagement(args, receiver, stored)
                say(f"Its worker folded them into the engagement {folded:.1f} s after the last delivery.")
                result["receiver_metrics_url"] = receiver.url + "/metrics"
                result["receiver_metrics"] = receiver_metrics.summary(
                    receiver_metrics.scrape(result["receiver_metrics_url"]))
                receiver.stop()
                if database is None:
                    engagement = engagement_counts(receiver.db, campaign_id)
                    say("\nEngagement, from the receiver's SQLite db (leads with at least one such event):")
                else:
                    engagement = database.engagement_counts(campaign_id)
                    say("\nEngagement, from PostgreSQL (instantly_lead_engagement; leads with at least one such event):")
                result["engagement"] = engagement
                for key in ("sent", "opened", "clicked", "replied", "bounced", "unsubscribed"):
                    say(f"  {key:<14}{engagement[key]:>8,}")
                say(f"  ({engagement['events']:,} events stored for {engagement['leads']:,} leads)")
                if database is not None:
                    say(f"  ({engagement['businesses_reached']:,} business rows carry the engagement columns; "
                        f"{engagement['export_logs']:,} export logged in instantly_export_logs)")

            # 5. The campaign's analytics, as the API reports them.
            rows = client.campaigns.analytics(id=campaign_id)
            analytics = rows[0] if rows else None
            if analytics is not None:
                result["analytics"] = {k: getattr(analytics, k) for k in (
                    "leads_count", "contacted_count", "emails_sent_count", "open_count_unique",
                    "link_click_count_unique", "reply_count_unique", "bounced_count", "unsubscribed_count")}
                say(f"\nCampaign analytics (client.campaigns.analytics) for \"{analytics.campaign_name}\":")
                labels = {"leads_count": "leads", "contacted_count": "contacted", "emails_sent_count": "emails sent",
                          "open_count_unique": "opened (unique)", "link_click_count_unique": "clicked (unique)",
                          "reply_count_unique": "replied (unique)", "bounced_count": "bounced",
                          "unsubscribed_count": "unsubscribed"}
                for key, label in labels.items():
                    value = result["analytics"][key]
                    say(f"  {label:<18}{(value if value is not None else 0):>8,}")

            # 6. What the receiver's Prometheus endpoint said (docs/observability.md).
            if "receiver_metrics" in result:
                print_receiver_metrics(say, result["receiver_metrics_url"], result["receiver_metrics"])
    finally:
        if receiver is not None:
            receiver.stop()
        if database is not None:
            database.stop()
        if not args.keep_db:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def wait_for_deliveries(args: argparse.Namespace, receiver: Receiver, deliveries: int) -> None:
    """POST /__mock/webhooks/flush (blocks until the mock has nothing left to deliver) while a
    bar follows the receiver's stored-event count."""
    outcome: Dict[str, Any] = {}

    def flush() -> None:
        try:
            outcome["answer"] = admin(args.base_url, "POST", "/__mock/webhooks/flush",
                                      {"timeout_ms": int(args.flush_timeout * 1000)}, timeout=args.flush_timeout + 10)
        except BaseException as e:  # noqa: BLE001 - reported below, in the main thread
            outcome["error"] = e

    thread = threading.Thread(target=flush, daemon=True)
    thread.start()
    bar = ProgressBar(deliveries, "webhooks", "events", args.progress)
    try:
        while thread.is_alive():
            thread.join(0.2)
            bar.update(int(receiver.health().get("events", 0)))
        bar.update(int(receiver.health().get("events", 0)))
    finally:
        bar.close()
    if "error" in outcome:
        raise outcome["error"]
    if outcome.get("answer") != {"idle": True}:
        raise RuntimeError(f"webhook deliveries did not settle within {args.flush_timeout:.0f} s: {outcome.get('answer')}")


def wait_for_engagement(args: argparse.Namespace, receiver: Receiver, stored: int) -> float:
    """Waits until the receiver's worker has folded every stored event into the engagement (it
    runs behind the acknowledgements, off the request path), with a bar; returns the seconds it
    took. Stopping the receiver before would also drain it, but with no sign of progress."""
    started = time.monotonic()
    bar = ProgressBar(stored, "engagement", "events", args.progress)
    try:
        while True:
            health = receiver.health()
            bar.update(stored - int(health.get("unapplied", 0)))
            if int(health.get("unapplied", 0)) == 0:
                return time.monotonic() - started
            if time.monotonic() - started > args.flush_timeout * 3:
                raise RuntimeError(f"the receiver still had {health['unapplied']} events to fold after "
                                   f"{args.flush_timeout * 3:.0f} s")
            time.sleep(0.2)
    finally:
        bar.close()


def report_summary(report: Any, exported: Dict[str, Any], businesses: int, seconds: float) -> Dict[str, Any]:
    counts = {str(k): int(v) for k, v in report.counts.items()}
    summary: Dict[str, Any] = {group: sum(counts.get(name, 0) for name in names)
                               for group, names in OUTCOME_GROUPS.items()}
    summary["rejected_before_import"] = len(exported.get("rejected", []))
    summary["businesses"] = businesses
    summary["accounted"] = sum(summary[g] for g in OUTCOME_GROUPS) + summary["rejected_before_import"]
    summary["counts"] = counts
    summary["import_seconds"] = float(report.elapsed)
    summary["export_seconds"] = seconds
    summary["requests"] = int(report.requests)
    return summary


def print_report(say: Callable[[str], None], s: Dict[str, Any], campaign_id: str, exported: Dict[str, Any]) -> None:
    counts = s["counts"]
    rate = s["businesses"] / s["import_seconds"] if s["import_seconds"] > 0 else float("inf")
    say(f"\nImport report (campaign {campaign_id}, now active):")
    say(f"  businesses    {s['businesses']:>8,}")
    say(f"  uploaded      {s['uploaded']:>8,}")
    say(f"  duplicates    {s['duplicates']:>8,}   (email already seen: {counts.get('duplicate_in_payload', 0):,} "
        f"in this export, {counts.get('duplicate_in_campaign', 0):,} already in the campaign)")
    say(f"  invalid       {s['invalid']:>8,}   ({counts.get('rejected_client_side', 0):,} caught by the SDK before "
        f"sending, {counts.get('invalid_email', 0):,} rejected by the API)")
    if s["skipped"]:
        say(f"  skipped       {s['skipped']:>8,}   (block list / skip flags)")
    if s["rejected_before_import"]:
        say(f"  not mapped    {s['rejected_before_import']:>8,}   (no email or not a business row)")
    say(f"  failed        {s['failed']:>8,}")
    say(f"  accounted for {s['accounted']:>8,} of {s['businesses']:,}")
    say(f"  time          {s['import_seconds']:>8.2f} s import ({rate:,.0f} leads/s, {s['requests']} request{'' if s['requests'] == 1 else 's'}); "
        f"{s['export_seconds']:.2f} s for export_campaign as a whole (create, import, activate)")


def print_receiver_metrics(say: Callable[[str], None], url: str, figures: Dict[str, Any]) -> None:
    say(f"\nThe receiver's metrics, from GET {url} before it stopped "
        f"(Prometheus text, instantly_webhook_*; docs/observability.md):")
    for key in ("received", "stored", "duplicated", "refused"):
        say(f"  {key:<18}{figures[key]:>8,}")

    def within(seconds: Optional[float]) -> str:
        return "-" if seconds is None else f"{seconds * 1000:g} ms"

    say(f"  acknowledged      half within {within(figures['ack_p50_s'])}, 99% within {within(figures['ack_p99_s'])} "
        f"(histogram buckets)")


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default=os.environ.get("INSTANTLY_BASE_URL"),
                        help="the instantly-mock to run against (default: $INSTANTLY_BASE_URL)")
    parser.add_argument("--api-key", default=os.environ.get("INSTANTLY_API_KEY", "demo-key"))
    parser.add_argument("--businesses", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--campaign-name", default="Google Maps businesses (demo)")
    parser.add_argument("--receiver", default=default_receiver(), help="the examples/webhook_receiver binary")
    parser.add_argument("--no-webhooks", action="store_true", help="skip the receiver and the webhook part")
    parser.add_argument("--postgres", action="store_true",
                        help="keep the pipeline's data in a throwaway PostgreSQL 15 instead of SQLite")
    parser.add_argument("--postgres-migrate", default=os.path.join(default_build(), "examples", "postgres_migrate"),
                        help="the examples/postgres_migrate binary (with --postgres)")
    parser.add_argument("--db-dir", default="/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None,
                        help="where the receiver's db goes (default: /dev/shm, a RAM disk, when there is one: "
                             "fsync per delivery on a real disk makes 18,000 webhooks take about a minute)")
    parser.add_argument("--keep-db", action="store_true", help="keep the receiver's db (its path is printed)")
    parser.add_argument("--flush-timeout", type=float, default=100.0, help="seconds to wait for webhook deliveries")
    parser.add_argument("--progress", choices=("auto", "tqdm", "line", "none"), default="auto")
    args = parser.parse_args(argv)
    if not args.base_url:
        parser.error("--base-url (or $INSTANTLY_BASE_URL) is required: the URL of a running instantly-mock")
    return args


def main(argv: Optional[List[str]] = None, out: TextIO = sys.stdout) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    try:
        run(args, out)
    except KeyboardInterrupt:
        out.write("\ninterrupted\n")
        return 130
    out.write(f"\nDemo finished in {time.monotonic() - started:.1f} s.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
