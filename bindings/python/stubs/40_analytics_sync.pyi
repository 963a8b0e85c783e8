# The analytics sync (bind_analytics_sync.cpp): instantly.workflows.AnalyticsSync's C++ half.
class CampaignSnapshot(metaclass=type):
    """One campaign's analytics at one moment (made by AnalyticsSync.sync)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): syncs make snapshots; CampaignSnapshot.from_dict rebuilds one."""
    @property
    def campaign_id(self) -> str: ...
    @property
    def campaign_name(self) -> str:
        """Empty when unknown."""
    @property
    def campaign_status(self) -> Optional[int]:
        """The API's status number (0 draft, 1 active, ...); None when unknown."""
    @property
    def is_evergreen(self) -> bool: ...
    @property
    def reported(self) -> bool:
        """False when the API returned no row for the campaign and the counters are zeros."""
    @property
    def taken_at(self) -> datetime.datetime:
        """When the sync that made it started (timezone-aware UTC)."""
    @property
    def leads_count(self) -> int:
        """Leads in the campaign now (not bound by the date range)."""
    @property
    def contacted(self) -> int:
        """Leads that got at least one email (contacted_count)."""
    @property
    def new_leads_contacted(self) -> int:
        """new_leads_contacted_count."""
    @property
    def emails_sent(self) -> int:
        """emails_sent_count."""
    @property
    def opened(self) -> int:
        """Every open (open_count)."""
    @property
    def opened_unique(self) -> int:
        """Leads that opened (open_count_unique)."""
    @property
    def replies(self) -> int:
        """Replies by people (reply_count)."""
    @property
    def replies_unique(self) -> int:
        """Leads that replied (reply_count_unique)."""
    @property
    def replies_automatic(self) -> int:
        """Automatic replies (reply_count_automatic)."""
    @property
    def replies_automatic_unique(self) -> int:
        """reply_count_automatic_unique."""
    @property
    def clicks(self) -> int:
        """Every link click (link_click_count)."""
    @property
    def clicks_unique(self) -> int:
        """Leads that clicked (link_click_count_unique)."""
    @property
    def bounced(self) -> int:
        """bounced_count."""
    @property
    def unsubscribed(self) -> int:
        """unsubscribed_count."""
    @property
    def completed(self) -> int:
        """Leads through every step (completed_count)."""
    @property
    def opportunities(self) -> int:
        """total_opportunities."""
    @property
    def opportunity_value(self) -> float:
        """total_opportunity_value."""
    @property
    def open_rate(self) -> Optional[float]:
        """opened_unique / contacted; None while contacted is 0."""
    @property
    def reply_rate(self) -> Optional[float]:
        """replies_unique / contacted; None while contacted is 0."""
    @property
    def click_rate(self) -> Optional[float]:
        """clicks_unique / contacted; None while contacted is 0."""
    @property
    def bounce_rate(self) -> Optional[float]:
        """bounced / contacted; None while contacted is 0."""
    @property
    def unsubscribe_rate(self) -> Optional[float]:
        """unsubscribed / contacted; None while contacted is 0."""
    def to_dict(self) -> Dict[str, Any]:
        """Every attribute and rate, by name."""
    @staticmethod
    def from_dict(data: Dict[str, Any]) -> CampaignSnapshot:
        """The snapshot a to_dict() (or a stored row with the same keys) describes."""
    def __eq__(self, other: object) -> bool: ...

class CampaignDelta(metaclass=type):
    """What changed for one campaign since the previous snapshot."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): syncs make deltas."""
    @property
    def campaign_id(self) -> str: ...
    @property
    def first_seen(self) -> bool:
        """No previous snapshot: the delta is the whole current value."""
    @property
    def since(self) -> Optional[datetime.datetime]:
        """taken_at of the previous snapshot; None when first_seen."""
    @property
    def leads_count(self) -> int: ...
    @property
    def contacted(self) -> int:
        """Leads that got at least one email (contacted_count)."""
    @property
    def new_leads_contacted(self) -> int:
        """new_leads_contacted_count."""
    @property
    def emails_sent(self) -> int:
        """emails_sent_count."""
    @property
    def opened(self) -> int:
        """Every open (open_count)."""
    @property
    def opened_unique(self) -> int:
        """Leads that opened (open_count_unique)."""
    @property
    def replies(self) -> int:
        """Replies by people (reply_count)."""
    @property
    def replies_unique(self) -> int:
        """Leads that replied (reply_count_unique)."""
    @property
    def replies_automatic(self) -> int:
        """Automatic replies (reply_count_automatic)."""
    @property
    def replies_automatic_unique(self) -> int:
        """reply_count_automatic_unique."""
    @property
    def clicks(self) -> int:
        """Every link click (link_click_count)."""
    @property
    def clicks_unique(self) -> int:
        """Leads that clicked (link_click_count_unique)."""
    @property
    def bounced(self) -> int:
        """bounced_count."""
    @property
    def unsubscribed(self) -> int:
        """unsubscribed_count."""
    @property
    def completed(self) -> int:
        """Leads through every step (completed_count)."""
    @property
    def opportunities(self) -> int:
        """total_opportunities."""
    @property
    def opportunity_value(self) -> float:
        """total_opportunity_value."""
    def to_dict(self) -> Dict[str, Any]:
        """Every attribute, by name."""
    def __eq__(self, other: object) -> bool: ...

class AnalyticsOverview(metaclass=type):
    """The followed campaigns together (/campaigns/analytics/overview)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): AnalyticsSync makes overviews."""
    @property
    def contacted(self) -> int:
        """Leads that got at least one email (contacted_count)."""
    @property
    def new_leads_contacted(self) -> int:
        """new_leads_contacted_count."""
    @property
    def emails_sent(self) -> int:
        """emails_sent_count."""
    @property
    def opened(self) -> int:
        """Every open (open_count)."""
    @property
    def opened_unique(self) -> int:
        """Leads that opened (open_count_unique)."""
    @property
    def replies(self) -> int:
        """Replies by people (reply_count)."""
    @property
    def replies_unique(self) -> int:
        """Leads that replied (reply_count_unique)."""
    @property
    def replies_automatic(self) -> int:
        """Automatic replies (reply_count_automatic)."""
    @property
    def replies_automatic_unique(self) -> int:
        """reply_count_automatic_unique."""
    @property
    def clicks(self) -> int:
        """Every link click (link_click_count)."""
    @property
    def clicks_unique(self) -> int:
        """Leads that clicked (link_click_count_unique)."""
    @property
    def bounced(self) -> int:
        """bounced_count."""
    @property
    def unsubscribed(self) -> int:
        """unsubscribed_count."""
    @property
    def completed(self) -> int:
        """Leads through every step (completed_count)."""
    @property
    def opportunities(self) -> int:
        """total_opportunities."""
    @property
    def opportunity_value(self) -> float:
        """total_opportunity_value."""
    @property
    def open_rate(self) -> Optional[float]:
        """opened_unique / contacted; None while contacted is 0."""
    @property
    def reply_rate(self) -> Optional[float]:
        """replies_unique / contacted; None while contacted is 0."""
    @property
    def click_rate(self) -> Optional[float]:
        """clicks_unique / contacted; None while contacted is 0."""
    @property
    def bounce_rate(self) -> Optional[float]:
        """bounced / contacted; None while contacted is 0."""
    @property
    def unsubscribe_rate(self) -> Optional[float]:
        """unsubscribed / contacted; None while contacted is 0."""
    @property
    def interested(self) -> int: ...
    @property
    def meetings_booked(self) -> int: ...
    @property
    def meetings_completed(self) -> int: ...
    @property
    def closed(self) -> int: ...
    def to_dict(self) -> Dict[str, Any]:
        """Every attribute and rate, by name."""
    def __eq__(self, other: object) -> bool: ...

class CampaignDailyAnalytics(metaclass=type):
    """One day of /campaigns/analytics/daily."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): AnalyticsSync makes rows."""
    @property
    def campaign_id(self) -> Optional[str]:
        """The campaign the row counts; None for a row over the whole workspace."""
    @property
    def date(self) -> str:
        """YYYY-MM-DD."""
    @property
    def sent(self) -> int: ...
    @property
    def opened(self) -> int: ...
    @property
    def opened_unique(self) -> int: ...
    @property
    def replies(self) -> int: ...
    @property
    def replies_unique(self) -> int: ...
    @property
    def replies_automatic(self) -> int: ...
    @property
    def replies_automatic_unique(self) -> int: ...
    @property
    def clicks(self) -> int: ...
    @property
    def clicks_unique(self) -> int: ...
    @property
    def contacted(self) -> int: ...
    @property
    def new_leads_contacted(self) -> int: ...
    @property
    def opportunities(self) -> int: ...
    @property
    def opportunities_unique(self) -> int: ...
    def to_dict(self) -> Dict[str, Any]:
        """Every attribute, by name."""
    def __eq__(self, other: object) -> bool: ...

class CampaignStepAnalytics(metaclass=type):
    """One step and variant of /campaigns/analytics/steps."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): AnalyticsSync makes rows."""
    @property
    def campaign_id(self) -> Optional[str]:
        """The campaign the row counts; None for a row over the whole workspace."""
    @property
    def step(self) -> Optional[str]:
        """As the API sends it ("1", ...); None when null."""
    @property
    def variant(self) -> Optional[str]:
        """"0" is variant A; None when null."""
    @property
    def sent(self) -> int: ...
    @property
    def opened(self) -> int: ...
    @property
    def opened_unique(self) -> int: ...
    @property
    def replies(self) -> int: ...
    @property
    def replies_unique(self) -> int: ...
    @property
    def replies_automatic(self) -> int: ...
    @property
    def replies_automatic_unique(self) -> int: ...
    @property
    def clicks(self) -> int: ...
    @property
    def clicks_unique(self) -> int: ...
    def to_dict(self) -> Dict[str, Any]:
        """Every attribute, by name."""
    def __eq__(self, other: object) -> bool: ...

class AnalyticsSyncResult(metaclass=type):
    """What one AnalyticsSync.sync() saw."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): AnalyticsSync.sync makes results."""
    @property
    def taken_at(self) -> datetime.datetime:
        """When the sync started (timezone-aware UTC)."""
    @property
    def snapshots(self) -> List[CampaignSnapshot]:
        """One per followed campaign (a new list)."""
    @property
    def deltas(self) -> List[CampaignDelta]:
        """One per snapshot, same order (a new list)."""
    @property
    def dropped(self) -> List[str]:
        """Campaign ids of the previous set without a snapshot now."""
    @property
    def overview(self) -> Optional[AnalyticsOverview]:
        """Set with include_overview; else None."""
    @property
    def daily(self) -> List[CampaignDailyAnalytics]:
        """Daily rows asked for with daily=...; else empty."""
    @property
    def steps(self) -> List[CampaignStepAnalytics]:
        """Step rows asked for with steps=...; else empty."""
    @property
    def analytics_calls(self) -> int:
        """GET /campaigns/analytics calls this sync made."""
    @property
    def requests(self) -> int:
        """Every call this sync made."""
    def find(self, campaign_id: str) -> Optional[CampaignSnapshot]:
        """The snapshot of campaign_id, or None."""
    def find_delta(self, campaign_id: str) -> Optional[CampaignDelta]:
        """The delta of campaign_id, or None."""

class AnalyticsSyncCore(metaclass=type):
    """The C++ AnalyticsSync; instantly.workflows.AnalyticsSync wraps it."""

    def __init__(self, core: Core, *, campaign_ids: List[str], chunk_size: int, start_date: Optional[str],
                 end_date: Optional[str], include_overview: bool, daily: Optional[str],
                 steps: Optional[str]) -> None: ...
    def sync(self, previous: Optional[List[CampaignSnapshot]] = None) -> AnalyticsSyncResult:
        """Snapshots, deltas (against `previous` or the last sync) and the extras asked for."""
    def previous(self) -> List[CampaignSnapshot]:
        """The snapshots the next sync compares against."""
    def overview(self) -> AnalyticsOverview:
        """/campaigns/analytics/overview for the followed campaigns."""
    def daily(self, campaign_id: Optional[str] = None) -> List[CampaignDailyAnalytics]:
        """/campaigns/analytics/daily for one campaign or the workspace."""
    def steps(self, campaign_id: Optional[str] = None) -> List[CampaignStepAnalytics]:
        """/campaigns/analytics/steps for one campaign or the workspace."""
