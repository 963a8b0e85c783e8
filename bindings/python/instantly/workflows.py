"""Workflows over the API, each a small C++ workflow (instantly/workflows/*.hpp) with the GIL
released while it talks to the API:

- bulk lead import with full accounting, the old pipeline's business → lead mapping and the
  schedule helpers a campaign needs (docs/migration.md);
- AnalyticsSync: campaign analytics for many campaigns in few calls, with rates and deltas
  (docs/analytics-sync.md);
- AccountHealth: ok / warning / critical per sending account, with reasons (docs/account-health.md);
- Unibox: received emails under the 20/min limit, threads, replies in-thread and a pluggable reply
  classifier (docs/unibox.md);
- pollers for background jobs and email verification (docs/pollers.md);
- reconcile: the store's webhook events against the API's analytics, and a backfill of what was
  never delivered (docs/nothing-lost.md; in Python, over the receivers' store).

    from instantly import workflows

    report = client.leads.import_leads(rows, campaign_id=campaign.id, checkpoint="import.ckpt",
                                       progress=lambda p: print(p.done, "/", p.total))
    snapshot = workflows.AnalyticsSync(client).sync()
    for account in workflows.AccountHealth(client).check():
        print(account.email, account.level, [r.message for r in account.reasons])
    for thread in workflows.Unibox(client).threads():
        ...
    job = workflows.wait_for_background_job(client, job_id, timeout=120)
    workflows.to_api_timezone("America/New_York")   # "America/Detroit"

API keys at rest and one client per tenant: instantly.secrets (docs/secrets.md, docs/multi-tenant.md).
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, Dict, List

from . import _core
from ._core import LeadRecord
from ._models import to_jsonable
from ._workflows.lead_import import ImportProgress, ImportReport, LeadOutcome
from ._workflows.account_health import (
    AccountHealth, AccountHealthResult, DomainVitals, HealthLevel, HealthReason, HealthReasonCode, HealthThresholds,
    WarmupNumbers,
)
from ._workflows.analytics_sync import (
    AnalyticsOverview, AnalyticsSync, AnalyticsSyncResult, CampaignDailyAnalytics, CampaignDelta, CampaignSnapshot,
    CampaignStepAnalytics,
)
from ._workflows.pollers import (
    CancelToken, PollCancelledError, PollError, PollTimeoutError, is_terminal_job_status, job_finished, job_succeeded,
    verification_finished, verify_email, wait_for_background_job, wait_for_email_verification,
)
from ._workflows.reconcile import open_event_store, reconcile
from ._workflows.reconcile_report import (
    METRICS as RECONCILE_METRICS, CampaignReconcile, MetricReconcile, ReconcileReport, WrongWorkspaceError,
)
from ._workflows.unibox import (
    Classification, ClassifiedEmail, EmailThread, KeywordReplyClassifier, ReplyClassifier, ReplyLabel, Unibox,
    UniboxWait, reply_text,
)

__all__ = [
    # reconcile and backfill (docs/nothing-lost.md)
    "reconcile", "open_event_store", "ReconcileReport", "CampaignReconcile", "MetricReconcile", "WrongWorkspaceError",
    "RECONCILE_METRICS",
    "ImportReport", "ImportProgress", "LeadRecord", "LeadOutcome", "format_lead_for_instantly", "business_to_lead",
    "to_api_timezone", "allowed_timezones", "convert_old_schedule",
    # analytics (docs/analytics-sync.md)
    "AnalyticsSync", "AnalyticsSyncResult", "AnalyticsOverview", "CampaignSnapshot", "CampaignDelta",
    "CampaignDailyAnalytics", "CampaignStepAnalytics",
    # account health (docs/account-health.md)
    "AccountHealth", "AccountHealthResult", "DomainVitals", "HealthLevel", "HealthReason", "HealthReasonCode",
    "HealthThresholds", "WarmupNumbers",
    # unibox and replies (docs/unibox.md)
    "Unibox", "EmailThread", "UniboxWait", "ReplyLabel", "Classification", "ClassifiedEmail", "ReplyClassifier",
    "KeywordReplyClassifier", "reply_text",
    # pollers (docs/pollers.md)
    "wait_for_background_job", "verify_email", "wait_for_email_verification", "job_succeeded", "job_finished",
    "is_terminal_job_status", "verification_finished", "CancelToken", "PollError", "PollTimeoutError",
    "PollCancelledError",
]


def _cell(value: Any) -> Any:
    # pandas/numpy rows: NaN (an empty cell) and infinities are missing values, numpy scalars plain ones.
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if not isinstance(value, (str, bytes, int, float, bool)) and value is not None and hasattr(value, "item"):
        return _cell(value.item())
    return value


def _business_json(business: Any) -> str:
    if hasattr(business, "items") and not isinstance(business, (str, bytes)):
        business = {str(k): _cell(v) for k, v in business.items()}
    return json.dumps(to_jsonable(business))


def format_lead_for_instantly(business: Mapping[str, Any]) -> Dict[str, Any]:
    """The old pipeline's `format_lead_for_instantly`: one gmaps_businesses row (name, email,
    category, city, state, rating, reviews_count, phone, website, address, icebreaker,
    subject_line) as the lead dict it sent, exactly (email, first_name = name, last_name = "Team",
    company_name, custom_variables with the present values only). NaN cells count as missing.
    Raises ValidationError naming the field for a blank name/email or a value of the wrong type."""
    result: Dict[str, Any] = json.loads(_core.workflows_format_lead_for_instantly(_business_json(business)))
    return result


def business_to_lead(business: Mapping[str, Any], *, fill_top_level_contact: bool = True) -> Dict[str, Any]:
    """The same mapping as format_lead_for_instantly, as the lead for `leads.add` /
    `import_leads`; with fill_top_level_contact the lead's own `phone` and `website` are set too."""
    result: Dict[str, Any] = json.loads(_core.workflows_business_to_lead(
        _business_json(business), fill_top_level_contact=fill_top_level_contact))
    return result


def to_api_timezone(name: str) -> str:
    """The schedule timezone the API accepts for an IANA zone: an allowed zone unchanged, a common
    zone outside the API's list mapped to a listed one with the same offsets and DST rules
    ("America/New_York" → "America/Detroit"). Raises ValidationError for anything else."""
    return _core.workflows_to_api_timezone(name)


def allowed_timezones() -> List[str]:
    """The schedule timezones the API accepts, in the spec's order."""
    return _core.workflows_allowed_timezones()


def convert_old_schedule(campaign_schedule: Mapping[str, Any]) -> Dict[str, Any]:
    """The old pipeline's `campaign_schedule` ({"schedules": [{"days": {"monday": True, ...},
    "timezone": ...}]}) in the v2 shape: day names become the keys "0".."6" (Sunday = "0") and a
    timezone outside the API's list goes through to_api_timezone; everything else is kept.
    Raises ValidationError naming the path for an unknown day or a wrong type."""
    result: Dict[str, Any] = json.loads(_core.workflows_convert_old_schedule(json.dumps(to_jsonable(campaign_schedule))))
    return result
