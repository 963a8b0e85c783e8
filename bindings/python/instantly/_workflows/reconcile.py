"""The reconcile: what Instantly's analytics say against what the store holds, campaign by
campaign, and a backfill from the API where they differ (docs/nothing-lost.md).

    store = workflows.open_event_store("events.db")          # or database=URL, organization=UUID
    report = workflows.reconcile(client, store)
    for campaign in report.campaigns:
        for m in campaign.metrics:
            print(campaign.campaign_id, m.metric, m.local, m.remote, m.backfilled, m.remaining, m.reason)

- Only campaigns the store knows are looked at (or those named), and of them only the drifted are
  backfilled, unless `force`. A store whose events come from another workspace is refused before
  anything is written (WrongWorkspaceError).
- Backfilled events go through the store like deliveries (one row per dedupe key and per identity)
  and are folded into the engagement at once; a late webhook delivery of one of them is skipped.
- Replies come from GET /emails (20 requests a minute: the client's rate limiter waits), the rest
  from POST /leads/list. Recorded subscription gaps (the watcher's) narrow the /emails reading to
  their window first.
- `stop` (a threading.Event, or any callable returning True) ends the run between pages; what was
  stored stays, and running again finishes the job: campaigns already healed show no drift.
"""
from __future__ import annotations

import datetime
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from .. import _exceptions
from .._models import to_jsonable
from .._receiver.stores import PostgresStore, SqliteStore, Store
from .reconcile_backfill import Payloads, lead_events, reply_events, to_rows
from .reconcile_report import (
    METRICS, CampaignReconcile, MetricReconcile, ReconcileReport, WrongWorkspaceError,
)
from .reconcile_signals import campaign_status_rows, finished_job_rows
from .reconcile_tally import Tally, remote_metrics, tally_events

__all__ = ["reconcile", "open_event_store"]

Stop = Union[Callable[[], bool], Any, None]

#: Campaign ids per GET /campaigns/analytics call (repeated `ids` query keys).
ANALYTICS_BATCH = 50
#: Rebuilt events per store transaction.
STORE_BATCH = 500

_STOPPED = "stopped before this campaign was reconciled in full; run again to finish"


def open_event_store(db: Optional[str] = None, *, database: Optional[str] = None,
                     organization: Optional[str] = None) -> Store:
    """The webhook receivers' store: a SQLite file (`db`), or the organisation's rows of the
    pipeline's PostgreSQL (`database` URL and `organization` UUID). Raises instantly.DatabaseError
    or SchemaError (cannot open, wrong schema), ValidationError (bad URL or organisation)."""
    if database is not None and db is None:
        if not organization:
            raise _exceptions.ValidationError("a PostgreSQL store needs the organisation (a UUID)")
        return PostgresStore(database, organization)
    if db is not None and database is None:
        return SqliteStore(db)
    raise _exceptions.ValidationError("give a SQLite file (db) or a PostgreSQL URL (database), one of them")


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _stopping(stop: Stop) -> bool:
    if stop is None:
        return False
    if hasattr(stop, "is_set"):
        return bool(stop.is_set())
    return bool(stop())


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _Campaign:
    """One campaign's backfill: rebuilds, stores and counts what the store lacks."""

    def __init__(self, client: Any, store: Store, payloads: Payloads, tally: Tally, stop: Stop) -> None:
        self.client, self.store, self.payloads, self.tally, self.stop = client, store, payloads, tally, stop
        self.pending: List[Dict[str, Any]] = []
        self.stored = 0
        self.leads_listed = 0
        self.replies_listed = 0
        self.replies_on_record = 0  # the leads' email_reply_count, summed
        self.stopped = False

    def flush(self) -> None:
        if not self.pending:
            return
        payloads, self.pending = self.pending, []
        rows = to_rows(payloads, _now())
        for payload, new in zip(payloads, self.store.store_deliveries(rows, [])):
            if new:  # counted from the payload it was built from, not parsed back from its row
                self.stored += 1
                self.tally.add(payload["event_type"], payload.get("lead_email"), payload.get("step"),
                               payload.get("email_id"))
        while self.store.apply_pending(256) > 0:
            pass

    def _queue(self, payloads: Iterable[Dict[str, Any]]) -> None:
        self.pending.extend(payloads)
        if len(self.pending) >= STORE_BATCH:
            self.flush()

    def from_leads(self) -> None:
        for lead in self.client.leads.list(campaign=self.payloads.campaign_id, limit=100):
            self.leads_listed += 1
            count = to_jsonable(lead).get("email_reply_count")
            self.replies_on_record += count if isinstance(count, int) and not isinstance(count, bool) else 0
            self._queue(lead_events(self.payloads, lead, self.tally))
            if _stopping(self.stop):
                self.stopped = True
                break
        self.flush()

    def needs_replies(self, remote: Dict[str, int]) -> bool:
        """Replies the API shows and the store lacks: fewer leads with a reply than the analytics
        count, or fewer replies than the leads' own counters add up to."""
        return self.tally.counts()["reply_count_unique"] < remote["reply_count_unique"] or \
            len(self.tally.replies) < self.replies_on_record

    def from_emails(self, since: Optional[str]) -> None:
        query: Dict[str, Any] = {"campaign_id": self.payloads.campaign_id, "email_type": "received", "limit": 100}
        if since:
            query["min_timestamp_created"] = since
        for email in self.client.emails.list(**query):
            self.replies_listed += 1
            self._queue(reply_events(self.payloads, email, self.tally))
            if _stopping(self.stop):
                self.stopped = True
                break
        self.flush()


def _reason(metric: str, remaining: int) -> Optional[str]:
    if remaining > 0:
        return (f"the API counts {remaining} more than its lead and email records show (events of leads since"
                " deleted or moved, or older than the API keeps)")
    if remaining < 0:
        return (f"the store counts {-remaining} more than the API (events of leads since deleted, or of a campaign"
                " the API no longer reports in full)")
    return None


def _gap_start(gaps: List[Any], campaign_id: str) -> Optional[str]:
    starts = [gap.start for gap in gaps if gap.campaign_id in (None, "", campaign_id)]
    return min(starts) if starts else None


def reconcile(client: Any, store: Store, *, campaigns: Optional[Sequence[str]] = None, force: bool = False,
              poll_signals: bool = True, stop: Stop = None,
              on_campaign: Optional[Callable[[CampaignReconcile], None]] = None) -> ReconcileReport:
    """Compares and heals; see the module's docstring. `campaigns`: these ids only (each must be a
    campaign of the workspace); default: every campaign the store holds events of. `on_campaign`
    is called with each campaign's result as it is done (progress output)."""
    workspace = str(client.workspaces.get().id)
    if not store.holds_workspace(workspace):
        seen = store.workspaces(limit=3)
        if seen:  # an empty store is no other workspace's
            raise WrongWorkspaceError(
                f"the store's events come from workspace {', '.join(sorted(seen))}, the API key's is {workspace}:"
                " nothing was changed")
    facts = store.event_facts()
    known = sorted({fact.campaign_id for fact in facts if fact.campaign_id})
    wanted = list(dict.fromkeys(campaigns)) if campaigns else known

    rows: Dict[str, Any] = {}
    for batch in _chunks(wanted, ANALYTICS_BATCH):
        for row in client.campaigns.analytics(ids=list(batch)):
            rows[str(row.campaign_id)] = row
    absent = [campaign_id for campaign_id in wanted if campaign_id not in rows]
    if campaigns and absent:
        raise WrongWorkspaceError(f"workspace {workspace} has no campaign {', '.join(absent)}: nothing was changed")
    if not campaigns and known and len(absent) == len(known):
        raise WrongWorkspaceError(f"none of the {len(known)} campaigns the store holds events of is in workspace"
                                  f" {workspace}: nothing was changed")
    listed = {str(row.campaign_id) for row in client.campaigns.analytics()}
    unknown_to_store = tuple(sorted(listed - set(known) - set(wanted)))

    tallies = tally_events(facts, set(wanted))
    gaps = store.open_gaps()
    results: List[CampaignReconcile] = []
    stopped = False
    not_reached: List[str] = []
    for index, campaign_id in enumerate(wanted):
        if stopped or _stopping(stop):
            stopped = True
            not_reached = wanted[index:]
            break
        result, stopped = _reconcile_campaign(client, store, workspace, campaign_id, rows.get(campaign_id),
                                              tallies[campaign_id], force, _gap_start(gaps, campaign_id), stop)
        results.append(result)
        if on_campaign is not None:
            on_campaign(result)

    signals = 0
    if poll_signals and not stopped:
        observed_at = _now()
        signal_rows = campaign_status_rows(client.campaigns.list(limit=100), store, workspace, set(wanted), observed_at)
        signal_rows += finished_job_rows(client.background_jobs.list(limit=100, sort_column="updated_at",
                                                                     sort_order="desc").items, workspace, observed_at)
        signals = sum(store.store_deliveries(signal_rows, [])) if signal_rows else 0

    closed = 0
    if gaps and not stopped and all(result.error is None for result in results):
        store.close_gaps([gap.id for gap in gaps if gap.id is not None])
        closed = len(gaps)
    return ReconcileReport(workspace=workspace, campaigns=tuple(results), unknown_to_store=unknown_to_store,
                           signals_recorded=signals, gaps_closed=closed, stopped=stopped, not_reached=tuple(not_reached))


def _reconcile_campaign(client: Any, store: Store, workspace: str, campaign_id: str, row: Any, tally: Tally,
                        force: bool, since: Optional[str], stop: Stop) -> Tuple[CampaignReconcile, bool]:
    """The campaign's result, and whether `stop` ended its backfill early."""
    if row is None:
        return CampaignReconcile(campaign_id, "", False, (), error="the workspace no longer has this campaign"), False
    remote = remote_metrics(row)
    before = tally.counts()
    drifted = before != remote
    name = str(getattr(row, "campaign_name", "") or "")
    work = _Campaign(client, store, Payloads(workspace, campaign_id, name, _now()), tally, stop)
    error: Optional[str] = None
    if drifted or force:
        try:
            work.from_leads()
            if not work.stopped and since and not force and work.needs_replies(remote):
                work.from_emails(since)  # the recorded gaps' window first: fewer /emails pages
            if not work.stopped and (force or work.needs_replies(remote)):
                work.from_emails(None)
        except _exceptions.DatabaseError:
            raise  # the store is gone: the next campaigns would fail alike
        except _exceptions.Error as e:
            work.flush()  # what was rebuilt before the API failed is good: keep it
            error = f"{type(e).__name__}: {e}"
        if work.stopped:
            error = _STOPPED
    after = tally.counts()
    metrics = tuple(MetricReconcile(metric, before[metric], remote[metric], after[metric] - before[metric],
                                    remote[metric] - after[metric], _reason(metric, remote[metric] - after[metric]))
                    for metric in METRICS)
    return CampaignReconcile(campaign_id, name, drifted, metrics, events_backfilled=work.stored,
                             replies_listed=work.replies_listed, leads_listed=work.leads_listed,
                             error=error), work.stopped
