"""Signals Instantly sends no webhook for, polled into the same store as events, so one table
tells what happened: a campaign's `status` or `not_sending_status` changing, and a background job
finishing. Their event types are our own (`campaign_status_changed`, `background_job_finished`);
they name no lead, so the engagement fold passes them by.

A poll's rows are keyed by what they say (the campaign and its new status with the time it was
seen; the job and its final status), so polling again stores nothing new until something changed.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, Dict, Iterable, List, Optional, Tuple

from .._models import to_jsonable
from .._receiver.rows import EventRow
from .pollers import is_terminal_job_status

__all__ = ["CAMPAIGN_STATUS_CHANGED", "BACKGROUND_JOB_FINISHED", "campaign_status_rows", "finished_job_rows"]

CAMPAIGN_STATUS_CHANGED = "campaign_status_changed"
BACKGROUND_JOB_FINISHED = "background_job_finished"
_KEY_VERSION = "instantly-poll-v1"


def _key(*parts: Any) -> str:
    material = _KEY_VERSION + "".join(f"\n{len(str(p))}:{p}" for p in parts)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _body(payload: Dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _status_of(body: Optional[str]) -> Optional[Tuple[Any, Any]]:
    if body is None:
        return None
    try:
        stored = json.loads(body)
    except ValueError:
        return None
    return stored.get("status"), stored.get("not_sending_status")


def campaign_status_rows(campaigns: Iterable[Any], store: Any, workspace: str, wanted: set,
                         observed_at: str) -> List[EventRow]:
    """A row for each campaign in `wanted` whose (status, not_sending_status) differs from the
    latest one stored (or that has none stored yet)."""
    rows = []
    for record in campaigns:
        campaign = to_jsonable(record)
        campaign_id = campaign.get("id")
        if not isinstance(campaign_id, str) or campaign_id not in wanted:
            continue
        now = (campaign.get("status"), campaign.get("not_sending_status"))
        before = _status_of(store.latest_body(CAMPAIGN_STATUS_CHANGED, campaign_id))
        if before == now:
            continue
        payload = {"timestamp": observed_at, "event_type": CAMPAIGN_STATUS_CHANGED, "workspace": workspace,
                   "campaign_id": campaign_id, "campaign_name": campaign.get("name") or "",
                   "status": now[0], "not_sending_status": now[1],
                   "previous_status": before[0] if before else None,
                   "previous_not_sending_status": before[1] if before else None,
                   "instantly_poll": {"source": "campaigns"}}
        rows.append(EventRow(_key(CAMPAIGN_STATUS_CHANGED, campaign_id, now[0], now[1], observed_at),
                             CAMPAIGN_STATUS_CHANGED, campaign_id, None, observed_at, _body(payload), observed_at))
    return rows


def finished_job_rows(jobs: Iterable[Any], workspace: str, observed_at: str) -> List[EventRow]:
    """A row for each job that reached a final status (stored once per job and status)."""
    rows = []
    for record in jobs:
        job = to_jsonable(record)
        status = job.get("status")
        job_id = job.get("id")
        if not isinstance(job_id, str) or not isinstance(status, str) or not is_terminal_job_status(status):
            continue
        entity = job.get("entity_id")
        campaign_id = entity if job.get("entity_type") == "campaign" and isinstance(entity, str) else ""
        when = job.get("updated_at") or observed_at
        payload = {"timestamp": when, "event_type": BACKGROUND_JOB_FINISHED, "workspace": workspace,
                   "campaign_id": campaign_id, "campaign_name": "", "job_id": job_id, "job_type": job.get("type"),
                   "status": status, "entity_type": job.get("entity_type"), "entity_id": job.get("entity_id"),
                   "instantly_poll": {"source": "background-jobs"}}
        rows.append(EventRow(_key(BACKGROUND_JOB_FINISHED, job_id, status), BACKGROUND_JOB_FINISHED, campaign_id,
                             None, when, _body(payload), observed_at))
    return rows
