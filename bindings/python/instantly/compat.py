"""A drop-in replacement for the old pipeline's hand-written `instantly_client.py`.

Change one line and the pipeline keeps working:

    # from instantly_client import InstantlyClient
    from instantly.compat import InstantlyClient

    client = InstantlyClient()                                  # key from INSTANTLY_API_KEY
    result = client.export_campaign("Cafes LA", businesses, activate=True)
    print(result["uploaded"], "uploaded,", len(result["rejected"]), "rejected")

The four functions keep their names and arguments, but run on the SDK: leads go up in
1,000-lead chunks with 4 requests in flight (instead of one request per lead and a 100 ms
pause), every lead is accounted for, an import can resume from a checkpoint file, and failures
raise `instantly.*` exceptions instead of being printed. docs/migration.md has the details and
the way on to the native API (`client.leads.import_leads`, `instantly.webhooks`).

Thread-safety: an InstantlyClient can be shared between threads, as `instantly.Client` can.
"""
from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sized
from typing import Any, Callable, Dict, List, Optional, Union

from ._client import Client
from ._exceptions import (ApiError, AuthenticationError, NotFoundError, PaymentRequiredError,
                          PermissionDeniedError, ValidationError)
from ._models import BaseModel, to_jsonable
from ._types import NOT_GIVEN

__all__ = ["InstantlyClient", "format_lead_for_instantly", "DEFAULT_SCHEDULE", "DEFAULT_SEQUENCES"]

#: The schedule create_campaign uses when given none: the old pipeline's business hours.
DEFAULT_SCHEDULE: Dict[str, Any] = {
    "schedules": [{
        "name": "Business Hours",
        "timing": {"from": "09:00", "to": "17:00"},
        "days": {"1": True, "2": True, "3": True, "4": True, "5": True},
        "timezone": "America/Chicago",
    }]
}

#: The sequence create_campaign uses when given none: one email whose subject and body are the
#: custom variables the old pipeline filled for every lead (format_lead_for_instantly).
DEFAULT_SEQUENCES: List[Dict[str, Any]] = [{
    "steps": [{
        "type": "email",
        "delay": 0,
        "variants": [{"subject": "{{subject_line}}", "body": "{{icebreaker}}"}],
    }]
}]

_DAY_KEYS = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
             "sun", "mon", "tue", "wed", "thu", "fri", "sat", "0", "1", "2", "3", "4", "5", "6"}

# How ImportReport outcomes fold into the old pipeline's summary counts. An outcome this table
# does not know (the outcome names are an open set) counts as "failed", so the counts always add
# up to "total".
_SUMMARY_OF_OUTCOME = {
    "uploaded": "uploaded",
    "duplicate_in_campaign": "duplicates",
    "duplicate_in_list": "duplicates",
    "duplicate_in_payload": "duplicates",
    "invalid_email": "invalid",
    "incomplete": "invalid",
    "rejected_client_side": "invalid",
    "skipped_by_flags": "skipped",
    "blocklisted": "blocklisted",
    "failed": "failed",
    "not_uploaded": "failed",
    "not_attempted": "failed",
}
_SUMMARY_KEYS = ("uploaded", "duplicates", "invalid", "skipped", "blocklisted", "failed")


def _workflows() -> Any:
    # Imported on first use: `import instantly.compat` stays cheap, and the workflow bindings
    # load only when a function needs them.
    from . import workflows
    return workflows


def format_lead_for_instantly(business: Mapping[str, Any]) -> Dict[str, Any]:
    """One row of the old pipeline's gmaps_businesses table as an Instantly lead, exactly as the
    old `format_lead_for_instantly` built it (`instantly.workflows.format_lead_for_instantly`).
    Raises instantly.ValidationError naming the field when `name` or `email` is blank or a
    value has the wrong type."""
    lead: Dict[str, Any] = _workflows().format_lead_for_instantly(business)
    return lead


def _as_dict(value: Any, what: str) -> Dict[str, Any]:
    if isinstance(value, BaseModel):
        return value.to_dict()
    if isinstance(value, Mapping):
        data: Dict[str, Any] = to_jsonable(value)
        return data
    raise ValidationError(f"{what}: expected a dict, got {type(value).__name__}")


def _campaign_schedule(schedule: Any) -> Dict[str, Any]:
    """Any schedule shape the old pipeline used, as the v2 `campaign_schedule`."""
    if schedule is None:
        return copy.deepcopy(DEFAULT_SCHEDULE)
    if isinstance(schedule, (list, tuple)) and all(isinstance(d, str) for d in schedule):
        schedule = {d: True for d in schedule}  # ["monday", "tuesday", ...]
    schedule = _as_dict(schedule, "schedule")
    if "campaign_schedule" in schedule:  # the old request body, or {"campaign_schedule": {...}}
        schedule = _as_dict(schedule["campaign_schedule"], "schedule.campaign_schedule")
    if "schedules" not in schedule:
        if schedule and all(isinstance(k, str) and k.lower() in _DAY_KEYS for k in schedule):
            schedule = {"days": schedule}  # only the days: {"monday": True, ...} or {"1": True, ...}
        # One schedule entry: whatever it leaves out comes from the default business hours.
        entry = dict(DEFAULT_SCHEDULE["schedules"][0])
        entry.update(schedule)
        schedule = {"schedules": [entry]}
    converted: Dict[str, Any] = _workflows().convert_old_schedule(schedule)
    return converted


def _sequences(sequences: Any) -> Any:
    if sequences is None:
        return copy.deepcopy(DEFAULT_SEQUENCES)
    sequences = to_jsonable(list(sequences))
    # Shorthand: a list of steps, each {"subject", "body"[, "delay"]}, is one sequence.
    if sequences and all(isinstance(s, Mapping) and "steps" not in s and ("subject" in s or "body" in s)
                         for s in sequences):
        steps = [{"type": "email", "delay": s.get("delay", 0),
                  "variants": [{"subject": s.get("subject", ""), "body": s.get("body", "")}]}
                 for s in sequences]
        sequences = [{"steps": steps}]
    return sequences


def _summary(report: Any) -> Dict[str, Any]:
    summary: Dict[str, Any] = dict.fromkeys(_SUMMARY_KEYS, 0)
    for outcome, n in report.counts.items():
        summary[_SUMMARY_OF_OUTCOME.get(str(outcome), "failed")] += int(n)
    summary["total"] = int(report.total)
    summary["report"] = report
    return summary


# Import failures that no retry or rerun fixes: the importer stopped (401/402/403), or the campaign
# does not exist (404). bulk_add_leads raises these as the matching exception; everything else
# (5xx or 429 after the retries, dropped connections) stays a "failed" count, for a rerun.
_FATAL_IMPORT_ERRORS = {401: AuthenticationError, 402: PaymentRequiredError, 403: PermissionDeniedError,
                        404: NotFoundError}


def _raise_if_fatal(summary: Dict[str, Any]) -> None:
    report = summary["report"]
    status: Optional[int] = None
    message = report.stop_reason
    if message:
        head = message.split(" ", 1)[0]
        status = int(head) if head.isdigit() else None
    if status is None and summary["failed"]:
        for record in report.records("failed"):
            if record.status == 404:
                status, message = 404, record.reason
                break
    if status is None or message is None:
        return
    error_class = _FATAL_IMPORT_ERRORS.get(status, ApiError)
    error = error_class(f"lead import stopped: {message}", status_code=status, method="POST",
                        path="/api/v2/leads/add", server_message=message)
    error.summary = summary  # type: ignore[attr-defined]  # what was done before it stopped
    raise error


def _len_or_none(items: Any) -> Optional[int]:
    return len(items) if isinstance(items, Sized) else None


def _email_of(business: Any) -> Optional[str]:
    if not isinstance(business, Mapping):
        return None
    email = business.get("email")
    return email if isinstance(email, str) and email.strip() else None


class InstantlyClient:
    """The old pipeline's client, on the SDK. `client=` wraps an existing `instantly.Client`
    (which this object then does not close); otherwise one is made from `api_key` (default:
    $INSTANTLY_API_KEY), `base_url` (default: $INSTANTLY_BASE_URL, then the real API) and
    `timeout` (seconds). Raises instantly.ValidationError when there is no key."""

    def __init__(self, api_key: Optional[str] = None, base_url: Optional[str] = None, *,
                 timeout: float = 60.0, client: Optional[Client] = None) -> None:
        if client is not None:
            if api_key is not None or base_url is not None:
                raise ValidationError("pass either client= or api_key/base_url, not both")
            self._client = client
            self._owns_client = False
        else:
            self._client = Client(api_key=api_key, base_url=base_url, timeout=timeout)
            self._owns_client = True

    @property
    def client(self) -> Client:
        """The `instantly.Client` underneath, for everything the old functions do not cover."""
        return self._client

    @property
    def base_url(self) -> str:
        return self._client.base_url

    # ---- campaigns ---------------------------------------------------------------------------

    def create_campaign(self, name: str, schedule: Any = None, *, sequences: Optional[List[Any]] = None,
                        email_list: Optional[List[str]] = None, **fields: Any) -> Dict[str, Any]:
        """Creates a campaign and returns it as a dict (with its "id").

        `schedule` takes any of the old shapes: a `campaign_schedule` dict
        (`{"schedules": [...]}`), one schedule entry (`{"timing": ..., "days": ..., "timezone": ...}`,
        missing keys from the default), just the days (`{"monday": True, ...}` or a list of day
        names), or the whole old request body. Day names become the API's "0".."6" keys (Sunday =
        "0") and zones outside the API's list map to an equivalent one (America/New_York →
        America/Detroit); already-v2 schedules pass unchanged. Default: "Business Hours"
        09:00-17:00 Monday-Friday, America/Chicago.

        `sequences` defaults to one email with subject "{{subject_line}}" and body
        "{{icebreaker}}"; a plain list of {"subject", "body", "delay"} steps is accepted too.
        Other keyword arguments go to `client.campaigns.create` (daily_limit=, stop_on_reply=, ...).
        Raises instantly.ValidationError for a schedule it cannot convert, and the API's errors.
        """
        if "campaign_schedule" in fields:
            if schedule is not None:
                raise ValidationError("pass the schedule as schedule= or campaign_schedule=, not both")
            schedule = fields.pop("campaign_schedule")
        campaign = self._client.campaigns.create(
            name=name,
            campaign_schedule=_campaign_schedule(schedule),
            sequences=_sequences(sequences),
            email_list=NOT_GIVEN if email_list is None else list(email_list),
            **fields,
        )
        created: Dict[str, Any] = campaign.to_dict()
        return created

    # ---- leads -------------------------------------------------------------------------------

    def format_lead_for_instantly(self, business: Mapping[str, Any]) -> Dict[str, Any]:
        """See the module-level `format_lead_for_instantly`."""
        return format_lead_for_instantly(business)

    def bulk_add_leads(self, campaign_id: str, leads: Iterable[Any], *,
                       progress: Optional[Callable[[Any], object]] = None, concurrency: int = 4,
                       checkpoint: Union[str, "os.PathLike[str]", None] = None,
                       **options: Any) -> Dict[str, Any]:
        """Adds leads (dicts in Instantly's shape, as format_lead_for_instantly returns; any
        iterable, a generator too) to a campaign with `client.leads.import_leads`.

        Returns {"uploaded", "duplicates", "invalid", "skipped", "blocklisted", "failed",
        "total", "report"}: the counts add up to "total"; "report" is the ImportReport with the
        outcome of every lead. Other keyword arguments (chunk_size=, skip_if_in_workspace=,
        blocklist_id=, ...) go to import_leads. With `checkpoint`, a rerun after a crash or
        Ctrl-C sends only the chunks not yet accepted.

        Lead-level problems are counts, never exceptions, and so are chunks that still fail
        after their retries (5xx, 429, dropped connections; "failed", fixed by a rerun). What no
        rerun fixes raises, with the summary as the exception's `summary` attribute:
        instantly.AuthenticationError (401), PaymentRequiredError (402), PermissionDeniedError
        (403), NotFoundError (404: no such campaign); instantly.ValidationError for bad options
        or a checkpoint of another import, before anything is sent.
        """
        report = self._client.leads.import_leads(
            leads, campaign_id=campaign_id, progress=progress, concurrency=concurrency,
            checkpoint=checkpoint, **options)
        summary = _summary(report)
        _raise_if_fatal(summary)
        return summary

    # ---- the whole export --------------------------------------------------------------------

    def export_campaign(self, name: str, businesses: Iterable[Mapping[str, Any]], *, schedule: Any = None,
                        sequences: Optional[List[Any]] = None, email_list: Optional[List[str]] = None,
                        activate: bool = False, progress: Optional[Callable[[Any], object]] = None,
                        concurrency: int = 4,
                        checkpoint: Union[str, "os.PathLike[str]", None] = None) -> Dict[str, Any]:
        """Creates the campaign, turns each business into a lead as it is read, imports them,
        and activates the campaign when `activate` is true.

        A business without an email, or one format_lead_for_instantly rejects, does not stop
        the export: it is listed under "rejected" as {"index", "reason"} (index = its position
        in `businesses`). Returns the bulk_add_leads summary plus "campaign_id", "campaign"
        (dict; after activation when activated), "rejected", "businesses" (how many were read)
        and "lead_ids" ({business index: lead id} for the uploaded leads). `total` counts the
        leads sent to the import, so `total + len(rejected) == businesses`.

        With `checkpoint`, the campaign's id is kept next to it ("<checkpoint>.campaign.json"):
        rerunning the same export after a crash continues into the same campaign instead of
        creating a second one.
        """
        campaign = self._campaign_for_export(name, schedule, sequences, email_list, checkpoint)
        campaign_id = campaign["id"]

        rejected: List[Dict[str, Any]] = []
        business_index: List[int] = []  # lead index -> business index
        counter = {"read": 0}

        def leads() -> Iterator[Dict[str, Any]]:
            for index, business in enumerate(businesses):
                counter["read"] = index + 1
                if _email_of(business) is None:
                    rejected.append({"index": index, "reason": "no email"})
                    continue
                try:
                    lead = format_lead_for_instantly(business)
                except (ValidationError, TypeError, ValueError) as e:
                    rejected.append({"index": index, "reason": str(e)})
                    continue
                business_index.append(index)
                yield lead

        # Progress counts businesses, rejected ones included, so a bar over len(businesses) ends full.
        size = _len_or_none(businesses)
        on_progress = None
        if progress is not None:
            user_progress = progress

            def on_progress(p: Any) -> object:
                return user_progress(_workflows().ImportProgress(
                    p.done + len(rejected), size if size is not None else p.total, p.leads_per_second, p.eta))

        def result_of(summary: Dict[str, Any], campaign: Dict[str, Any]) -> Dict[str, Any]:
            result: Dict[str, Any] = {"campaign_id": campaign_id, "campaign": campaign}
            result.update(summary)
            result["rejected"] = rejected
            result["businesses"] = counter["read"]
            result["lead_ids"] = {business_index[i]: lead_id for i, lead_id in summary["report"].lead_ids().items()
                                  if 0 <= i < len(business_index)}
            return result

        try:
            summary = self.bulk_add_leads(campaign_id, leads(), progress=on_progress, concurrency=concurrency,
                                          checkpoint=checkpoint)
        except ApiError as e:
            if isinstance(getattr(e, "summary", None), dict):
                e.summary = result_of(e.summary, campaign)  # type: ignore[attr-defined]
            raise
        if activate:
            campaign = self._client.campaigns.activate(campaign_id).to_dict()
        return result_of(summary, campaign)

    def _campaign_for_export(self, name: str, schedule: Any, sequences: Any, email_list: Any,
                             checkpoint: Any) -> Dict[str, Any]:
        if checkpoint is None:
            return self.create_campaign(name, schedule, sequences=sequences, email_list=email_list)
        marker = os.fspath(checkpoint) + ".campaign.json"
        if os.path.exists(marker):
            with open(marker, encoding="utf-8") as f:
                saved = json.load(f)
            if saved.get("name") != name:
                raise ValidationError(
                    f"checkpoint: {marker} belongs to the export of campaign {saved.get('name')!r}, "
                    f"not {name!r}; use another checkpoint path")
            try:
                return self._client.campaigns.get(saved["id"]).to_dict()
            except NotFoundError:
                # Deleted since: start over with a new campaign, and forget the progress made
                # into the old one (the checkpoint names its target, so it would not fit).
                if os.path.exists(os.fspath(checkpoint)):
                    os.remove(os.fspath(checkpoint))
        campaign = self.create_campaign(name, schedule, sequences=sequences, email_list=email_list)
        with open(marker, "w", encoding="utf-8") as f:
            json.dump({"id": campaign["id"], "name": name}, f)
        return campaign

    # ---- lifetime ----------------------------------------------------------------------------

    def close(self) -> None:
        """Releases the connections of the client this object made (not of one passed in)."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> "InstantlyClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"InstantlyClient(base_url={self._client.base_url!r})"
