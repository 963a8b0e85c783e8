"""`instantly.workflows.AnalyticsSync`: campaign analytics for many campaigns with the fewest calls,
typed snapshots with derived rates, and what changed since the previous sync. The work runs in
the C++ library (instantly/workflows/analytics_sync.hpp) with the GIL released.

    sync = workflows.AnalyticsSync(client, include_overview=True)   # every campaign, drafts included
    first = sync.sync()
    later = sync.sync()                                              # deltas against `first`
    for delta in later.deltas:
        print(delta.campaign_id, delta.emails_sent, delta.replies_unique)
    later.find(campaign_id).reply_rate                               # None while nobody was contacted
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, List, Optional, Sequence, Union

from .. import _core
from .._exceptions import ValidationError
from .._core import (AnalyticsOverview, AnalyticsSyncResult, CampaignDailyAnalytics, CampaignDelta,
                     CampaignSnapshot, CampaignStepAnalytics)

__all__ = ["AnalyticsSync", "AnalyticsSyncResult", "AnalyticsOverview", "CampaignSnapshot", "CampaignDelta",
           "CampaignDailyAnalytics", "CampaignStepAnalytics"]

DateLike = Union[str, datetime.date]


def _date_text(value: Optional[DateLike], name: str) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc)
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value:
        return value
    raise ValidationError(f"{name} must be a non-empty str, a date or a datetime, got {value!r}")


def _snapshots(previous: Union[AnalyticsSyncResult, Iterable[Union[CampaignSnapshot, Mapping[str, Any]]]]
               ) -> List[CampaignSnapshot]:
    if isinstance(previous, AnalyticsSyncResult):
        return previous.snapshots
    out: List[CampaignSnapshot] = []
    for item in previous:
        out.append(item if isinstance(item, CampaignSnapshot) else CampaignSnapshot.from_dict(dict(item)))
    return out


class AnalyticsSync:
    """Snapshots of campaign analytics with the fewest calls.

    Each `sync()` asks `GET /campaigns/analytics` for `chunk_size` campaigns per call (repeated
    `ids` keys; never one call per campaign). Without `campaign_ids` it follows every campaign,
    drafts included: it lists them first, because the unfiltered analytics call leaves drafts
    out. Rates (`snapshot.reply_rate`, ...) are fractions of `contacted`, None while that is 0.

    Arguments:
        campaign_ids: the campaigns to follow, in order; None (default) = every campaign.
        chunk_size: campaign ids per analytics call, 1..1000 (default 100).
        start_date, end_date: count events in this range ("2026-03-01", a date or a datetime).
        include_overview: also fetch /campaigns/analytics/overview (result.overview).
        daily, steps: None (default), "workspace" (one call for every campaign together) or
            "per_campaign" (one call per followed campaign) for /campaigns/analytics/daily and
            /campaigns/analytics/steps.

    Raises ValidationError for bad arguments; calls raise the client's API errors.
    Safe to share between threads (syncs of one object run one at a time).
    """

    def __init__(self, client: Any, *, campaign_ids: Optional[Sequence[str]] = None, chunk_size: int = 100,
                 start_date: Optional[DateLike] = None, end_date: Optional[DateLike] = None,
                 include_overview: bool = False, daily: Optional[str] = None, steps: Optional[str] = None) -> None:
        if isinstance(campaign_ids, str):
            raise ValidationError("campaign_ids must be a list of ids, not one string")
        ids = [str(i) for i in campaign_ids] if campaign_ids is not None else []
        if campaign_ids is not None and not ids:
            raise ValidationError("campaign_ids is empty: pass None to follow every campaign")
        self._sync = _core.AnalyticsSyncCore(
            client._core, campaign_ids=ids, chunk_size=int(chunk_size),
            start_date=_date_text(start_date, "start_date"), end_date=_date_text(end_date, "end_date"),
            include_overview=bool(include_overview), daily=daily, steps=steps)
        self._follows_all = campaign_ids is None

    def sync(self, previous: Optional[Union[AnalyticsSyncResult,
                                            Iterable[Union[CampaignSnapshot, Mapping[str, Any]]]]] = None
             ) -> AnalyticsSyncResult:
        """Snapshots every followed campaign, with deltas against `previous` (a result, snapshots,
        or snapshot dicts as `to_dict()` gives them, e.g. loaded from storage) or, when None, the
        previous `sync()` of this object. A campaign first seen has its whole value as delta."""
        return self._sync.sync(None if previous is None else _snapshots(previous))

    @property
    def previous(self) -> List[CampaignSnapshot]:
        """The snapshots the next sync() compares against (empty before the first)."""
        return self._sync.previous()

    def overview(self) -> AnalyticsOverview:
        """/campaigns/analytics/overview for the followed campaigns."""
        return self._sync.overview()

    def daily(self, campaign_id: Optional[str] = None) -> List[CampaignDailyAnalytics]:
        """/campaigns/analytics/daily for one campaign, or every campaign together when None."""
        return self._sync.daily(campaign_id)

    def steps(self, campaign_id: Optional[str] = None) -> List[CampaignStepAnalytics]:
        """/campaigns/analytics/steps for one campaign, or every campaign together when None."""
        return self._sync.steps(campaign_id)

    def __repr__(self) -> str:
        return f"AnalyticsSync(follows={'all' if self._follows_all else 'chosen campaigns'})"
