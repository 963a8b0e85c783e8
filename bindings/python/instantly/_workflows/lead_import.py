"""`client.leads.import_leads`: the C++ LeadImporter (instantly/workflows/lead_import.hpp) over
any iterable of leads, and what it reports (re-exported by instantly.workflows)."""
from __future__ import annotations

import asyncio
import enum
import itertools
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sized
from typing import Any, ClassVar, Dict, List, Optional, Tuple, Union

from .. import _core
from .._exceptions import ValidationError
from .._models import BaseModel, to_jsonable
from .._async_bridge import await_core
from .._async_resource import AsyncResource
from .._resource import Resource
from ..types.lead import LeadAddParamsLead

__all__ = ["AsyncLeadImportMixin", "ImportProgress", "ImportReport", "LeadImportMixin", "LeadOutcome"]

# Only `_core.<name>` at call time here: this module is imported with the resource classes, and
# the generated-surface tests run those on a stand-in `_core` without the workflow bindings.

#: Leads taken per trip into Python (the importer works on them with the GIL released in between).
_BATCH = 256


class LeadOutcome(str):
    """What happened to one input lead: an open set of strings (`record.outcome == "uploaded"`);
    the known names are constants (`LeadOutcome.UPLOADED`), `LeadOutcome.ALL` lists them in the
    report's order."""

    __slots__ = ()

    UPLOADED: ClassVar[LeadOutcome]
    DUPLICATE_IN_CAMPAIGN: ClassVar[LeadOutcome]
    DUPLICATE_IN_LIST: ClassVar[LeadOutcome]
    DUPLICATE_IN_PAYLOAD: ClassVar[LeadOutcome]
    BLOCKLISTED: ClassVar[LeadOutcome]
    INVALID_EMAIL: ClassVar[LeadOutcome]
    INCOMPLETE: ClassVar[LeadOutcome]
    SKIPPED_BY_FLAGS: ClassVar[LeadOutcome]
    REJECTED_CLIENT_SIDE: ClassVar[LeadOutcome]
    NOT_UPLOADED: ClassVar[LeadOutcome]
    FAILED: ClassVar[LeadOutcome]
    NOT_ATTEMPTED: ClassVar[LeadOutcome]
    ALL: ClassVar[Tuple[LeadOutcome, ...]]

    def __repr__(self) -> str:
        return f"LeadOutcome({str.__repr__(str(self))})"

    @property
    def value(self) -> str:
        """The name as a plain str (as on the generated enums)."""
        return str(self)


LeadOutcome.ALL = tuple(LeadOutcome(name) for name in (
    "uploaded", "duplicate_in_campaign", "duplicate_in_list", "duplicate_in_payload", "blocklisted",
    "invalid_email", "incomplete", "skipped_by_flags", "rejected_client_side", "not_uploaded", "failed",
    "not_attempted"))
for _outcome in LeadOutcome.ALL:
    setattr(LeadOutcome, _outcome.upper(), _outcome)
del _outcome


class ImportProgress:
    """Where a running import stands, passed to `progress` after each chunk. With tqdm:
    `progress=lambda p: bar.update(p.done - bar.n)`."""

    __slots__ = ("done", "total", "leads_per_second", "eta")

    def __init__(self, done: int, total: Optional[int], leads_per_second: float, eta: Optional[float]) -> None:
        #: Input leads accounted for so far.
        self.done = done
        #: The input's size (len(leads) or total=...), None when unknown.
        self.total = total
        #: Since the import started.
        self.leads_per_second = leads_per_second
        #: Seconds left, None when unknown.
        self.eta = eta

    def __repr__(self) -> str:
        return (f"ImportProgress(done={self.done}, total={self.total}, "
                f"leads_per_second={self.leads_per_second:.1f}, eta={self.eta})")


def _check_outcome(outcome: str) -> str:
    if outcome not in LeadOutcome.ALL:
        raise ValidationError(f"unknown lead outcome {outcome!r}; one of: {', '.join(LeadOutcome.ALL)}")
    return str(outcome)


class ImportReport:
    """Every input lead accounted for exactly once: uploaded (with its id), rejected or a
    duplicate (and why), or failed (with the error)."""

    __slots__ = ("_result", "_counts", "_outcomes")

    def __init__(self, result: _core.ImportResult) -> None:
        self._result = result
        self._counts: Dict[str, int] = result.counts()
        self._outcomes: Optional[List[_core.LeadRecord]] = None

    @property
    def total(self) -> int:
        """Input leads seen."""
        return self._result.total

    @property
    def counts(self) -> Dict[str, int]:
        """Leads per outcome, every outcome name included (a new dict)."""
        return dict(self._counts)

    def count(self, outcome: str) -> int:
        """The number of leads with `outcome` ("uploaded", LeadOutcome.FAILED, ...)."""
        return self._counts[_check_outcome(outcome)]

    @property
    def uploaded(self) -> int:
        return self._counts["uploaded"]

    @property
    def failed(self) -> int:
        return self._counts["failed"]

    @property
    def outcomes(self) -> List[_core.LeadRecord]:
        """One record per input lead, by index; empty with keep_outcomes=False. Made on first use."""
        if self._outcomes is None:
            self._outcomes = self._result.outcomes()
        return self._outcomes

    @property
    def ok(self) -> bool:
        """No lead failed, was not attempted or not uploaded for an unknown reason (rejections and
        duplicates are fine)."""
        return self._result.ok

    @property
    def cancelled(self) -> bool:
        """The import was stopped (Ctrl-C) before every chunk was sent."""
        return self._result.cancelled

    @property
    def stop_reason(self) -> Optional[str]:
        """Why the import stopped early (401/402/403), else None."""
        return self._result.stop_reason

    @property
    def chunks(self) -> int:
        """Chunks sent (at least once) in this run."""
        return self._result.chunks

    @property
    def chunks_restored(self) -> int:
        """Chunks taken from the checkpoint, not sent again."""
        return self._result.chunks_restored

    @property
    def requests(self) -> int:
        """HTTP calls the importer made."""
        return self._result.requests

    @property
    def elapsed(self) -> float:
        """Seconds the import took."""
        return self._result.elapsed

    def lead_ids(self) -> Dict[int, str]:
        """Input index → id of each uploaded lead."""
        return self._result.lead_ids()

    def records(self, outcome: str) -> List[_core.LeadRecord]:
        """The records with `outcome`, by index."""
        return self._result.records(_check_outcome(outcome))

    def to_dict(self) -> Dict[str, Any]:
        """Everything as plain data (json.dumps-able)."""
        return {
            "total": self.total, "counts": self.counts, "ok": self.ok, "cancelled": self.cancelled,
            "stop_reason": self.stop_reason, "chunks": self.chunks, "chunks_restored": self.chunks_restored,
            "requests": self.requests, "elapsed": self.elapsed,
            "outcomes": [record.to_dict() for record in self.outcomes],
        }

    def __repr__(self) -> str:
        counts = " ".join(f"{name}={n}" for name, n in self._counts.items() if n)
        extra = " cancelled" if self.cancelled else ""
        if self.stop_reason:
            extra += f" stop_reason={self.stop_reason!r}"
        return f"<ImportReport total={self.total} {counts} ok={self.ok}{extra} elapsed={self.elapsed:.2f}s>".replace(
            "  ", " ")


class _NeedsConversion(Exception):
    """A value the plain encoder cannot write as-is (e.g. NOT_GIVEN, which must be left out)."""


def _encode_default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    raise _NeedsConversion


# The usual plain dict never comes here: the importer copies it into C++ directly (plain_lead.hpp
# in the bindings). What does come (models, floats, nested values, odd keys) is encoded directly
# when it can be, which is 2-3x faster than converting every member first (to_jsonable).
_ENCODER = json.JSONEncoder(default=_encode_default)


def _lead_json(item: Any, index: int) -> str:
    """The JSON text of input `index` for the importer, for items its plain-dict shortcut leaves
    alone; raises TypeError for an item that is not a lead."""
    if isinstance(item, BaseModel):
        return json.dumps(item.to_dict())
    if not isinstance(item, Mapping):
        raise TypeError(f"leads[{index}] must be a dict or a lead model, not {type(item).__name__}")
    if isinstance(item, dict):
        try:
            return _ENCODER.encode(item)
        except (TypeError, _NeedsConversion):
            pass  # odd keys, NOT_GIVEN members, ...: the general path converts (or reports) them
    return json.dumps(to_jsonable(item))


class _ImportCall:
    """import_leads' arguments, checked, in the shape the core's import functions take: shared by
    the sync and the asyncio flavour. Raises before anything is sent."""

    def __init__(self, leads: Iterable[Any], progress: Optional[Callable[[ImportProgress], object]],
                 total: Optional[int], checkpoint: Union[str, "os.PathLike[str]", None], concurrency: int,
                 chunk_size: int, max_chunk_attempts: int, **options: Any) -> None:
        for name, value, low, high in (("chunk_size", chunk_size, 1, 1000), ("concurrency", concurrency, 1, 64),
                                       ("max_chunk_attempts", max_chunk_attempts, 1, 1000)):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValidationError(f"lead import: {name} must be an integer {low}..{high}, not {value!r}")
        given: Any = leads  # checked as a plain object (isinstance would narrow `leads` into odd types)
        if isinstance(given, (str, bytes, Mapping, BaseModel)):
            raise TypeError("leads must be an iterable of leads (dicts or LeadAddParamsLead), not one lead")
        if total is None and isinstance(given, Sized):
            total = len(given)
        if total is not None and (isinstance(total, bool) or not isinstance(total, int) or total < 0):
            raise ValidationError(f"lead import: total must be a non-negative integer, not {total!r}")
        source = iter(leads)

        def next_batch() -> List[Any]:
            return list(itertools.islice(source, _BATCH))

        self.next_batch = next_batch
        self.on_progress: Optional[Callable[[int, Optional[int], float, Optional[float]], object]] = None
        if progress is not None:
            report_progress = progress

            def on_progress(done: int, total: Optional[int], leads_per_second: float, eta: Optional[float]) -> object:
                return report_progress(ImportProgress(done, total, leads_per_second, eta))

            self.on_progress = on_progress
        self.options: Dict[str, Any] = dict(
            options, total=total, concurrency=concurrency, chunk_size=chunk_size,
            max_chunk_attempts=max_chunk_attempts,
            checkpoint=os.fsdecode(checkpoint) if checkpoint is not None else None)


class LeadImportMixin(Resource):
    """The hand-written part of `client.leads` (a base of the generated Leads class)."""

    __slots__ = ()

    def import_leads(
        self,
        leads: Iterable[Union[LeadAddParamsLead, Mapping[str, Any]]],
        *,
        campaign_id: Optional[str] = None,
        list_id: Optional[str] = None,
        progress: Optional[Callable[[ImportProgress], object]] = None,
        concurrency: int = 4,
        checkpoint: Union[str, "os.PathLike[str]", None] = None,
        chunk_size: int = 1000,
        skip_if_in_workspace: Optional[bool] = None,
        skip_if_in_campaign: Optional[bool] = None,
        skip_if_in_list: Optional[bool] = None,
        blocklist_id: Optional[str] = None,
        verify_leads_on_import: Optional[bool] = None,
        assigned_to: Optional[str] = None,
        max_chunk_attempts: int = 3,
        total: Optional[int] = None,
        keep_outcomes: bool = True,
    ) -> ImportReport:
        """Adds every lead of `leads` (dicts or LeadAddParamsLead; a generator is read once, as a
        stream) to the campaign `campaign_id` or the list `list_id` (exactly one), in chunks of
        `chunk_size` (≤ 1000) with `concurrency` chunks in flight, and accounts for each one.

        Leads that fail the API's limits are rejected here without being sent; an email seen
        earlier in the input is a duplicate_in_payload. `progress(ImportProgress)` is called after
        each chunk (raising from it stops the import and propagates). With `checkpoint` (a file
        path) finished chunks are recorded, and a rerun over the same input sends only the rest.
        `total` is the input's size for progress when `leads` has no len(). keep_outcomes=False
        keeps counts only (for very large imports).

        API failures do not raise: they are in the report. Raises ValidationError for a bad
        target, options or checkpoint before anything is sent. The GIL is released while chunks
        are in flight; Ctrl-C stops sending, waits for the chunks in flight, then raises
        KeyboardInterrupt (the checkpoint stays usable)."""
        call = _ImportCall(
            leads, progress, total, checkpoint, concurrency, chunk_size, max_chunk_attempts,
            campaign_id=campaign_id, list_id=list_id, skip_if_in_workspace=skip_if_in_workspace,
            skip_if_in_campaign=skip_if_in_campaign, skip_if_in_list=skip_if_in_list, blocklist_id=blocklist_id,
            verify_leads_on_import=verify_leads_on_import, assigned_to=assigned_to, keep_outcomes=keep_outcomes)
        result = _core.workflows_import_leads(self._client._core, call.next_batch, _lead_json, call.on_progress,
                                              **call.options)
        return ImportReport(result)


class AsyncLeadImportMixin(AsyncResource):
    """The hand-written part of AsyncClient's `client.leads` (a base of the generated AsyncLeads)."""

    __slots__ = ()

    async def import_leads(
        self,
        leads: Iterable[Union[LeadAddParamsLead, Mapping[str, Any]]],
        *,
        campaign_id: Optional[str] = None,
        list_id: Optional[str] = None,
        progress: Optional[Callable[[ImportProgress], object]] = None,
        concurrency: int = 4,
        checkpoint: Union[str, "os.PathLike[str]", None] = None,
        chunk_size: int = 1000,
        skip_if_in_workspace: Optional[bool] = None,
        skip_if_in_campaign: Optional[bool] = None,
        skip_if_in_list: Optional[bool] = None,
        blocklist_id: Optional[str] = None,
        verify_leads_on_import: Optional[bool] = None,
        assigned_to: Optional[str] = None,
        max_chunk_attempts: int = 3,
        total: Optional[int] = None,
        keep_outcomes: bool = True,
    ) -> ImportReport:
        """import_leads of instantly.Client, awaited: the same arguments, checks and report.

        The import runs on the core's threads; the event loop stays free. `leads` is a plain
        (sync) iterable, read on those threads a batch at a time, so a generator must not touch
        the loop. `progress(ImportProgress)` runs on the loop (posted there after each chunk);
        what it raises goes to the loop's exception handler and does not stop the import: cancel
        the task for that. Cancelling the task stops sending, waits for the chunks in flight (the
        checkpoint stays usable) and raises CancelledError."""
        loop = asyncio.get_running_loop()
        on_loop: Optional[Callable[[ImportProgress], object]] = None
        if progress is not None:
            report_progress = progress

            def on_loop(update: ImportProgress) -> object:
                try:
                    return loop.call_soon_threadsafe(report_progress, update)
                except RuntimeError:
                    return None  # the loop is closed: nobody is watching any more

        call = _ImportCall(
            leads, on_loop, total, checkpoint, concurrency, chunk_size, max_chunk_attempts,
            campaign_id=campaign_id, list_id=list_id, skip_if_in_workspace=skip_if_in_workspace,
            skip_if_in_campaign=skip_if_in_campaign, skip_if_in_list=skip_if_in_list, blocklist_id=blocklist_id,
            verify_leads_on_import=verify_leads_on_import, assigned_to=assigned_to, keep_outcomes=keep_outcomes)
        result = await await_core(lambda port, token: _core.workflows_start_import_leads(
            self._client._core, call.next_batch, _lead_json, call.on_progress, port, token, **call.options))
        return ImportReport(result)
