"""Rebuilding the events the store lacks from the API's records, as the payloads Instantly's
webhooks would have carried:

- from a lead (POST /leads/list): its sends (steps 1 to the one `last_step_id` names), its open,
  its click, a bounce or an unsubscribe, at the times the lead records;
- from a received email (GET /emails?email_type=received): a reply_received or auto_reply_received
  whose `email_id` is the reply's own id, as in the webhook.

Each rebuilt payload carries an `instantly_backfill` member naming its source. It takes no part in
the dedupe key, and the store keeps one event per identity (migrations: *_reconcile.sql), so the
webhook delivery of an event the backfill already stored, arriving late, is skipped as a duplicate.
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, Iterator, List, Optional, Tuple

from .. import webhooks
from .._models import to_jsonable
from .._receiver.rows import EventRow, event_row
from .reconcile_tally import Tally

__all__ = ["Payloads", "lead_events", "reply_events", "to_rows"]

# Lead status codes (docs: api facts): -1 bounced, -2 unsubscribed.
_BOUNCED, _UNSUBSCRIBED = -1, -2
_STEP_ID = re.compile(r"_(\d+)_(\d+)$")  # "<campaign>_<step from 0>_<variant from 0>"


def _int(value: Any) -> Optional[int]:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


class Payloads:
    """Builds payloads for one campaign of one workspace."""

    def __init__(self, workspace: str, campaign_id: str, campaign_name: str, reconciled_at: str) -> None:
        self.workspace = workspace
        self.campaign_id = campaign_id
        self.campaign_name = campaign_name
        self.reconciled_at = reconciled_at

    def make(self, event_type: str, timestamp: str, source: str, **fields: Any) -> Dict[str, Any]:
        payload: Dict[str, Any] = {"timestamp": timestamp, "event_type": event_type, "workspace": self.workspace,
                                   "campaign_id": self.campaign_id, "campaign_name": self.campaign_name}
        payload.update({key: value for key, value in fields.items() if value is not None})
        payload["instantly_backfill"] = {"source": source, "reconciled_at": self.reconciled_at}
        return payload


def _last_step(lead: Dict[str, Any]) -> Tuple[Optional[int], Optional[int]]:
    """(step, variant), 1-based, of the lead's latest campaign mail, from `last_step_id`."""
    match = _STEP_ID.search(str(lead.get("last_step_id") or ""))
    if not match:
        return None, None
    return int(match.group(1)) + 1, int(match.group(2)) + 1


def lead_events(payloads: Payloads, lead_record: Any, tally: Tally) -> Iterator[Dict[str, Any]]:
    """The events the lead's record shows and the store lacks (by the tally's identities)."""
    lead = to_jsonable(lead_record)
    email = lead.get("email")
    if not isinstance(email, str) or not email.strip():
        return
    key = webhooks.lead_key(email)
    account = lead.get("last_contacted_from")
    common = {"lead_email": email, "email_account": account if isinstance(account, str) else None}
    step, variant = _last_step(lead)
    contacted_at = lead.get("timestamp_last_contact")
    if isinstance(contacted_at, str) and step is not None:
        # Sends are step by step, so every step up to the latest went out. Only the latest's time
        # and variant are on record; earlier ones take the same time.
        for sent_step in range(1, step + 1):
            if (key, sent_step) not in tally.sends:
                yield payloads.make("email_sent", contacted_at, "leads/list", step=sent_step,
                                    variant=variant if sent_step == step else None, **common)
    for metric, event_type, count, at, step_field, variant_field in (
            ("open_count_unique", "email_opened", "email_open_count", "timestamp_last_open", "email_opened_step",
             "email_opened_variant"),
            ("link_click_count_unique", "link_clicked", "email_click_count", "timestamp_last_click",
             "email_clicked_step", "email_clicked_variant")):
        when = lead.get(at)
        if (_int(lead.get(count)) or 0) > 0 and isinstance(when, str) and not tally.has(metric, key):
            yield payloads.make(event_type, when, "leads/list", step=_int(lead.get(step_field)),
                                variant=_int(lead.get(variant_field)), **common)
    status = _int(lead.get("status"))
    touched_at = lead.get("timestamp_last_touch") or contacted_at
    if isinstance(touched_at, str):
        if status == _BOUNCED and not tally.has("bounced_count", key):
            yield payloads.make("email_bounced", touched_at, "leads/list", step=step, variant=variant, **common)
        if status == _UNSUBSCRIBED and not tally.has("unsubscribed_count", key):
            yield payloads.make("lead_unsubscribed", touched_at, "leads/list", step=step, variant=variant, **common)


def _body_text(body: Any, kind: str) -> Optional[str]:
    if isinstance(body, dict) and isinstance(body.get(kind), str):
        return body[kind]
    return None


def reply_events(payloads: Payloads, email_record: Any, tally: Tally) -> Iterator[Dict[str, Any]]:
    """The reply (or auto-reply) this received email is, unless the store has it (by its id)."""
    email = to_jsonable(email_record)
    email_id = email.get("id")
    lead = email.get("lead") or email.get("from_address_email")
    when = email.get("timestamp_email") or email.get("timestamp_created")
    if not isinstance(email_id, str) or email_id in tally.reply_ids or not isinstance(lead, str) or not isinstance(when, str):
        return
    automatic = bool(email.get("is_auto_reply"))
    body = email.get("body")
    text = _body_text(body, "text")
    yield payloads.make("auto_reply_received" if automatic else "reply_received", when, "emails", lead_email=lead,
                        email_account=email.get("eaccount"), email_id=email_id, step=_int(email.get("step")),
                        reply_subject=email.get("subject"), reply_text=text, reply_html=_body_text(body, "html"),
                        reply_text_snippet=text[:100] if text else None)


def to_rows(payloads: List[Dict[str, Any]], received_at: str) -> List[EventRow]:
    """The store's rows for these payloads (parsed as any delivery is, so the dedupe key is the
    webhook's recipe over the same fields)."""
    rows = []
    for payload in payloads:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        rows.append(event_row(webhooks.parse(body), body, received_at))
    return rows
