"""What a reconcile found and did (instantly.workflows.reconcile): per campaign and metric, the
store's count before, the API's, what the backfill added and what difference remains, with why."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple

from .._exceptions import Error

__all__ = ["METRICS", "MetricReconcile", "CampaignReconcile", "ReconcileReport", "WrongWorkspaceError"]

#: The campaign analytics the reconcile compares, by the API's field names (GET /campaigns/analytics).
METRICS: Tuple[str, ...] = ("contacted_count", "emails_sent_count", "open_count_unique", "link_click_count_unique",
                            "reply_count_unique", "bounced_count", "unsubscribed_count")


class WrongWorkspaceError(Error):
    """The store's events come from another workspace than the API key's, or name no campaign the
    API knows: a reconcile would fill the store with someone else's events. Nothing was written."""


@dataclass(frozen=True)
class MetricReconcile:
    metric: str               #: one of METRICS
    local: int                #: what the store counted before the backfill
    remote: int               #: what the API's analytics say
    backfilled: int           #: what the backfill added to the store's count
    remaining: int            #: remote - (local + backfilled); 0 when they agree
    reason: Optional[str] = None  #: why a difference remains


@dataclass(frozen=True)
class CampaignReconcile:
    campaign_id: str
    campaign_name: str
    drifted: bool                           #: the store and the API disagreed on some metric
    metrics: Tuple[MetricReconcile, ...]
    events_backfilled: int = 0              #: events rebuilt from the API and stored
    replies_listed: int = 0                 #: received emails read from GET /emails
    leads_listed: int = 0                   #: leads read from POST /leads/list
    error: Optional[str] = None             #: why this campaign could not be reconciled (the others were)

    @property
    def in_sync(self) -> bool:
        return self.error is None and all(m.remaining == 0 for m in self.metrics)


@dataclass(frozen=True)
class ReconcileReport:
    workspace: str
    campaigns: Tuple[CampaignReconcile, ...]
    #: Campaigns of the workspace the store holds no event of: left alone (name them to reconcile them).
    unknown_to_store: Tuple[str, ...] = ()
    signals_recorded: int = 0               #: polled campaign status changes and finished jobs stored
    gaps_closed: int = 0                    #: recorded subscription gaps this run covered
    stopped: bool = False                   #: asked to stop: the campaigns not listed were not reached
    not_reached: Tuple[str, ...] = field(default=())

    @property
    def in_sync(self) -> bool:
        return not self.stopped and all(c.in_sync for c in self.campaigns)

    @property
    def events_backfilled(self) -> int:
        return sum(c.events_backfilled for c in self.campaigns)
