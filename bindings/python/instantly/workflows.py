"""Workflows over the API: bulk lead import with full accounting, the old pipeline's business →
lead mapping, and the schedule helpers a campaign needs.

    from instantly import workflows

    report = client.leads.import_leads(rows, campaign_id=campaign.id, checkpoint="import.ckpt",
                                       progress=lambda p: print(p.done, "/", p.total))
    report.uploaded, report.counts, report.lead_ids()
    lead = workflows.format_lead_for_instantly(business_row)
    workflows.to_api_timezone("America/New_York")   # "America/Detroit"

Everything here runs in the C++ library (instantly/workflows/*.hpp); the functions are pure and
safe to call from any thread.
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

__all__ = [
    "ImportReport", "ImportProgress", "LeadRecord", "LeadOutcome", "format_lead_for_instantly", "business_to_lead",
    "to_api_timezone", "allowed_timezones", "convert_old_schedule",
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
