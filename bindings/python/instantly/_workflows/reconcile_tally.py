"""Counting both sides alike: the store's events by identity (a lead once per metric, a send once
per lead and step), so an event told twice (a backfill and a late webhook delivery) counts once,
and the API's analytics row by the same metric names."""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Dict, Iterable, Optional, Set, Tuple

from .. import webhooks
from .._models import to_jsonable
from .reconcile_report import METRICS

__all__ = ["Tally", "tally_events", "remote_metrics"]

# The metric each event type counts towards (as a set of distinct leads).
_LEAD_METRICS = {
    "email_opened": "open_count_unique",
    "link_clicked": "link_click_count_unique",
    "reply_received": "reply_count_unique",
    "email_bounced": "bounced_count",
    "lead_unsubscribed": "unsubscribed_count",
}


class Tally:
    """One campaign's store-side counts, which can take more events as the backfill adds them."""

    def __init__(self) -> None:
        self.leads: Dict[str, Set[str]] = defaultdict(set)   # metric -> lead keys
        self.sends: Set[Tuple[str, Optional[int]]] = set()  # (lead key, step)
        self.reply_ids: Set[str] = set()                    # email ids of stored replies and auto-replies
        self.replies: Set[str] = set()                      # of the replies alone (reply_received)

    def add(self, event_type: str, lead_email: Optional[str], step: Optional[int], email_id: Optional[str]) -> None:
        if event_type in ("reply_received", "auto_reply_received") and email_id:
            self.reply_ids.add(email_id)
            if event_type == "reply_received":
                self.replies.add(email_id)
        if not lead_email:
            return
        lead = webhooks.lead_key(lead_email)
        if event_type == "email_sent":
            self.sends.add((lead, step))
            self.leads["contacted_count"].add(lead)
        elif event_type in _LEAD_METRICS:
            self.leads[_LEAD_METRICS[event_type]].add(lead)

    def has(self, metric: str, lead: str) -> bool:
        return lead in self.leads[metric]

    def counts(self) -> Dict[str, int]:
        out = {metric: len(self.leads[metric]) for metric in METRICS}
        out["emails_sent_count"] = len(self.sends)
        return out


def tally_events(facts: Iterable[Any], campaigns: Optional[Set[str]] = None) -> Dict[str, Tally]:
    """The store's EventFacts as one Tally per campaign (only `campaigns`' when given)."""
    tallies: Dict[str, Tally] = defaultdict(Tally)
    for fact in facts:
        if campaigns is not None and fact.campaign_id not in campaigns:
            continue
        step = fact.step if isinstance(fact.step, int) else None
        tallies[fact.campaign_id].add(fact.event_type, fact.lead_email, step, fact.email_id)
    return tallies


def remote_metrics(row: Any) -> Dict[str, int]:
    """An analytics row's METRICS (absent ones as 0)."""
    data = to_jsonable(row)
    return {metric: int(data.get(metric) or 0) for metric in METRICS}
