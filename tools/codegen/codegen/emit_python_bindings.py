"""Emits the C++ half of the Python package's operations, and the stub of the whole `_core` module.

- bindings/python/src/generated/bind_<n>.cpp: one `_core` function per operation, named
  `<accessor>__<cpp name>` (`campaigns__remove`). Each decodes Python's JSON parameters with the
  operation's Params codec, calls the typed resource method and re-encodes the answer as JSON
  text; list operations return a `PageFetcher`. The operations are split over a few files of
  similar size so that they compile in parallel.
- bindings/python/src/generated/operations.hpp: the files' registration functions, in a list.
- bindings/python/instantly/_core.pyi: the stub of the module, hand-written classes (below) plus
  one line per operation.

The registration itself (`def_call`, `def_page`), the interruptible GIL-released call and the
conversions live in the hand-written bindings/python/src/operation.hpp.
"""
from __future__ import annotations

import textwrap

from .emit_python import binding_name, method_name as python_method_name
from .emit_resources import method_name, wrap_call
from .ir import Api, Operation, Resource
from .naming import cpp_string
from .writer import OutputTree

SOURCE_DIR = "bindings/python/src/generated"
STUB = "bindings/python/instantly/_core.pyi"
FILES = 6


# ---- one operation ----------------------------------------------------------------------------

def _spec(op: Operation) -> list[str]:
    """The `OperationSpec` initializer's members: binding, Python name, path parameter names, params."""
    names = ", ".join(cpp_string(p.json_name) for p in op.path_params)
    return [cpp_string(binding_name(op)), cpp_string(f"{op.resource}.{python_method_name(op)}"),
            f"{{{names}}}", "true" if op.params is not None else "false"]


def _call_arguments(op: Operation, path: str, params: str, options: str) -> list[str]:
    args = [f"{path}[{i}]" for i in range(len(op.path_params))]
    if op.params is not None:
        args.append(params)
    args.append(options)
    return args


def call_function(op: Operation) -> str:
    """`std::optional<std::string> <binding>(const OperationInput& in)`: one call, its answer as JSON."""
    # Members the params do not declare travel in the body; an operation without one cannot take them.
    body = "true" if op.body_kind != "none" else "false"
    params = f"decode_params<instantly::{op.params.name}>(in, {body})" if op.params is not None else ""
    head = f"in.client.{op.resource}().{method_name(op)}"
    args = _call_arguments(op, "in.path_args", params, "in.options")
    kind = op.response.kind
    lines = [wrap_call("", f"std::optional<std::string> {binding_name(op)}", ["const OperationInput& in"], " {")]
    if kind == "empty":
        lines += [wrap_call("  ", head, args, ";"), "  return std::nullopt;"]
    else:
        encode = {"model": "encode_model", "array": "encode_list", "json": "encode_json",
                  "text": "encode_text"}[kind]
        lines.append(wrap_call("  ", f"return {encode}({head}", args, ");"))
    lines.append("}")
    return "\n".join(lines)


def page_function(op: Operation) -> str:
    """`PageFetch <binding>(const OperationInput& in)`: the fetcher of a list operation."""
    params = f"instantly::{op.params.name}"
    path = "path_args" if op.path_params else "/*path_args*/"
    lambda_args = ["const instantly::Client& client", f"const std::vector<std::string>& {path}",
                   f"{params} params", "const instantly::RequestOptions& options"]
    call_args = _call_arguments(op, "path_args", "std::move(params)", "options")
    return "\n".join([
        wrap_call("", f"PageFetch {binding_name(op)}", ["const OperationInput& in"], " {"),
        f"  return fetch_pages<{params}>(",
        wrap_call("      ", f"in, {'true' if op.body_kind != 'none' else 'false'}, []", lambda_args, " {"),
        wrap_call("        ", f"return client.{op.resource}().{method_name(op)}", call_args, ";"),
        "      });",
        "}",
    ])


def registration(op: Operation) -> str:
    define = "def_page" if op.response.kind == "page" else "def_call"
    spec = _spec(op)
    one_line = wrap_call("  ", define, ["module", "{" + ", ".join(spec) + "}", f"&{binding_name(op)}"], ";")
    if "\n" not in one_line:
        return one_line
    indent = " " * (len(define) + 3)
    return "\n".join([f"  {define}(module,", f"{indent}{{{spec[0]},", f"{indent} {', '.join(spec[1:])}}},",
                      f"{indent}&{binding_name(op)});"])


# ---- files ------------------------------------------------------------------------------------

def split(resources: list[Resource], count: int) -> list[list[Resource]]:
    """Resources in `count` groups of about equal operation counts (largest first into the
    lightest group), each group in API order so that a new operation moves little."""
    groups: list[list[Resource]] = [[] for _ in range(count)]
    sizes = [0] * count
    for resource in sorted(resources, key=lambda r: -len(r.operations)):
        lightest = sizes.index(min(sizes))
        groups[lightest].append(resource)
        sizes[lightest] += len(resource.operations)
    order = {r.accessor: i for i, r in enumerate(resources)}
    return [sorted(g, key=lambda r: order[r.accessor]) for g in groups if g]


def bind_source(number: int, resources: list[Resource]) -> str:
    ops = [op for r in resources for op in r.operations]
    functions = [page_function(op) if op.response.kind == "page" else call_function(op) for op in ops]
    includes = [f'#include "instantly/resources/{r.header}"' for r in sorted(resources, key=lambda r: r.header)]
    accessors = textwrap.wrap(f"`_core` functions of the {', '.join(r.accessor for r in resources)} operations.",
                              97)
    return f"""{chr(10).join('// ' + line for line in accessors)}
#include <optional>
#include <string>
#include <utility>
#include <vector>

{chr(10).join(includes)}
#include "generated/operations.hpp"
#include "operation.hpp"

namespace instantly_python::generated {{
namespace {{

{(chr(10) + chr(10)).join(functions)}

}}  // namespace

void bind_operations_{number}(pybind11::module_& module) {{
{chr(10).join(registration(op) for op in ops)}
}}

}}  // namespace instantly_python::generated
"""


def operations_header(count: int) -> str:
    declarations = "\n".join(f"void bind_operations_{n}(pybind11::module_& module);" for n in range(count))
    names = "".join(f"\n    bind_operations_{n}," for n in range(count))
    return f"""// The generated operation bindings: one registration function per file, all in one list.
#pragma once

namespace pybind11 {{
class module_;
}}  // namespace pybind11

namespace instantly_python::generated {{

{declarations}

/// Every registration function; the module calls each once.
inline constexpr void (*const kBindOperations[])(pybind11::module_&) = {{{names}
}};

}}  // namespace instantly_python::generated
"""


# ---- the stub ---------------------------------------------------------------------------------

STUB_HEAD = '''"""The compiled half of the package (pybind11): the C++ client behind `instantly.Client`, and one
function per API operation that the generated resource classes call. Not a public API."""
import datetime
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from .webhooks import EventType, HeaderSource

# pybind11 gives its classes a metaclass of its own, a subclass of `type`; naming `type` tells
# stubtest that the classes have one.

class Core(metaclass=type):
    """The C++ client behind one instantly.Client (and its with_options copies)."""

    def __init__(self, *, api_key: str, base_url: str, timeout: float, max_retries: int,
                 workspace: Optional[str], user_agent: Optional[str], rate_limit: bool) -> None: ...
    def with_options(self, *, timeout: float, max_retries: int, workspace: Optional[str]) -> Core:
        """A core with other settings that shares this one's connections and limits."""
    def close(self) -> None:
        """Drops this core's client; later calls raise instantly.Error."""
    @property
    def closed(self) -> bool: ...
    def request(self, method: str, path: str, query: List[Tuple[str, str]], body_json: Optional[str],
                headers: Dict[str, str], timeout: Optional[float]) -> Optional[str]:
        """Any endpoint: returns the answer as JSON text, or None."""

class CallOptions(metaclass=type):
    """Extra headers, extra query parameters and a timeout for one call."""

    def __init__(self, headers: Dict[str, str], query: List[Tuple[str, str]], timeout: Optional[float]) -> None: ...
    @property
    def headers(self) -> Dict[str, str]: ...
    @property
    def query(self) -> List[Tuple[str, str]]: ...
    @property
    def timeout(self) -> Optional[float]: ...

class PageFetcher(metaclass=type):
    """Fetches the pages of one listing; made by list operations."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): list operations make fetchers."""
    def fetch(self, cursor: Optional[str]) -> Tuple[str, Optional[str]]:
        """(JSON array of the items, next cursor) of the page after `cursor`."""

# The webhook receiver (instantly/webhooks.hpp), re-exported by instantly.webhooks.

class SecretHeaderVerifier(metaclass=type):
    """Checks the secret header a subscription sends with every delivery (constant-time; keeps only SHA-256 digests of the secrets)."""

    def __init__(self, header_name: str, secrets: Union[str, Sequence[str]], *,
                 allow_bearer_prefix: bool = True) -> None: ...
    def verify(self, headers: HeaderSource) -> None:
        """Raises WebhookVerificationError (reason missing_header or bad_secret)."""
    def is_valid(self, headers: HeaderSource) -> bool:
        """The same check as verify, without raising."""
    @property
    def header_name(self) -> str: ...
    @property
    def allows_bearer_prefix(self) -> bool: ...

class StandardWebhooksVerifier(metaclass=type):
    """Checks Standard Webhooks signatures (webhook-id, webhook-timestamp, webhook-signature)."""

    def __init__(self, secrets: Union[str, Sequence[str]], *, tolerance: float = 300.0) -> None: ...
    def verify(self, headers: HeaderSource, body: Union[bytes, str], *, now: Optional[float] = None) -> None:
        """Raises WebhookVerificationError; `now` is Unix seconds (default: the current time)."""
    def is_valid(self, headers: HeaderSource, body: Union[bytes, str], *, now: Optional[float] = None) -> bool:
        """The same check as verify, without raising."""
    def sign(self, msg_id: str, timestamp: int, body: Union[bytes, str]) -> str:
        """The webhook-signature value (`v1,<base64>`) with the first secret."""
    @property
    def tolerance(self) -> float: ...

class Event(metaclass=type):
    """One delivery's payload: known fields typed, every other member in `extra`. Made by instantly.webhooks.parse."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): instantly.webhooks.parse makes events."""
    @property
    def event_type(self) -> EventType: ...
    @property
    def timestamp(self) -> str: ...
    @property
    def workspace(self) -> str: ...
    @property
    def campaign_id(self) -> str: ...
    @property
    def campaign_name(self) -> str: ...
    @property
    def lead_email(self) -> Optional[str]: ...
    @property
    def email_account(self) -> Optional[str]: ...
    @property
    def unibox_url(self) -> Optional[str]: ...
    @property
    def step(self) -> Optional[int]: ...
    @property
    def variant(self) -> Optional[int]: ...
    @property
    def is_first(self) -> Optional[bool]: ...
    @property
    def email_id(self) -> Optional[str]: ...
    @property
    def email_subject(self) -> Optional[str]: ...
    @property
    def email_text(self) -> Optional[str]: ...
    @property
    def email_html(self) -> Optional[str]: ...
    @property
    def reply_text_snippet(self) -> Optional[str]: ...
    @property
    def reply_subject(self) -> Optional[str]: ...
    @property
    def reply_text(self) -> Optional[str]: ...
    @property
    def reply_html(self) -> Optional[str]: ...
    @property
    def extra(self) -> Dict[str, Any]:
        """The members not listed above (a new dict)."""
    def dedupe_key(self) -> str:
        """64 hex digits, the same for every delivery of this event."""
    def to_dict(self) -> Dict[str, Any]:
        """The payload as a dict; parse(json.dumps(d)) gives this event back."""
    def to_json(self) -> str:
        """The payload as JSON text; parse(event.to_json()) == event."""
    def time(self) -> Optional[datetime.datetime]:
        """`timestamp` as a timezone-aware UTC datetime, or None when unreadable."""
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...

class LeadEngagement(metaclass=type):
    """Where one lead stands (a row of the lead table): earliest times per state, reply count, email_status and the latest interest."""

    def __init__(self, *, campaign_id: str, lead_email: str, email_sent_at: Optional[str] = None,
                 email_opened_at: Optional[str] = None, email_clicked_at: Optional[str] = None,
                 email_replied_at: Optional[str] = None, email_bounced_at: Optional[str] = None,
                 unsubscribed_at: Optional[str] = None, reply_count: int = 0, email_status: str = "",
                 interest: Optional[str] = None, interest_at: Optional[str] = None) -> None: ...
    @property
    def campaign_id(self) -> str: ...
    @property
    def lead_email(self) -> str: ...
    @property
    def email_sent_at(self) -> Optional[str]: ...
    @property
    def email_opened_at(self) -> Optional[str]: ...
    @property
    def email_clicked_at(self) -> Optional[str]: ...
    @property
    def email_replied_at(self) -> Optional[str]: ...
    @property
    def email_bounced_at(self) -> Optional[str]: ...
    @property
    def unsubscribed_at(self) -> Optional[str]: ...
    @property
    def reply_count(self) -> int: ...
    @property
    def email_status(self) -> str: ...
    @property
    def interest(self) -> Optional[str]: ...
    @property
    def interest_at(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]:
        """Every attribute, by name (LeadEngagement(**d) gives it back)."""
    def __eq__(self, other: object) -> bool: ...

class EngagementTracker(metaclass=type):
    """Folds events into per-lead state; idempotent and order-independent. Not synchronised: one thread at a time."""

    def __init__(self) -> None: ...
    def apply(self, event: Event) -> bool:
        """False when already applied (same dedupe key) or not about one lead."""
    def load(self, lead: Union[LeadEngagement, Dict[str, Any]]) -> None:
        """Puts a stored lead state (LeadEngagement or its to_dict()) into the tracker."""
    def find(self, campaign_id: str, lead_email: str) -> Optional[LeadEngagement]:
        """The lead's state (lead_email in any case), or None."""
    def leads(self) -> List[LeadEngagement]:
        """Every lead, ordered by (campaign_id, lead_email)."""
    def __len__(self) -> int: ...
    @property
    def applied(self) -> int: ...

def webhooks_generate_secret() -> str:
    """A random secret for a subscription's header (43 URL-safe base64 characters)."""
def webhooks_parse(body: Union[bytes, str], *, max_body_bytes: int = 1048576) -> Event:
    """Parses one delivery body; raises DecodeError."""

# The workflows (instantly/workflows/*.hpp), used by instantly.workflows and client.leads.import_leads.

class LeadRecord(metaclass=type):
    """What happened to one input lead (made by client.leads.import_leads)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): imports make records."""
    @property
    def index(self) -> int:
        """Position in the input, from 0."""
    @property
    def outcome(self) -> str:
        """'uploaded', 'duplicate_in_campaign', ... (a LeadOutcome name)."""
    @property
    def lead_id(self) -> Optional[str]:
        """The lead's id: uploaded leads, and duplicates found by lookup; else None."""
    @property
    def reason(self) -> Optional[str]:
        """Why, for every outcome but uploaded; else None."""
    @property
    def status(self) -> Optional[int]:
        """HTTP status of a failed chunk; else None."""
    @property
    def after_retry(self) -> bool:
        """A duplicate reported on a re-sent chunk: the failed attempt may have created it."""
    def to_dict(self) -> Dict[str, Any]:
        """Every attribute, by name."""
    def __eq__(self, other: object) -> bool: ...

class ImportResult(metaclass=type):
    """The C++ ImportReport; instantly.workflows.ImportReport wraps it."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): imports make results."""
    @property
    def total(self) -> int: ...
    @property
    def chunks(self) -> int: ...
    @property
    def chunks_restored(self) -> int: ...
    @property
    def requests(self) -> int: ...
    @property
    def cancelled(self) -> bool: ...
    @property
    def elapsed(self) -> float: ...
    @property
    def stop_reason(self) -> Optional[str]: ...
    @property
    def ok(self) -> bool: ...
    def counts(self) -> Dict[str, int]: ...
    def outcomes(self) -> List[LeadRecord]: ...
    def records(self, outcome: str) -> List[LeadRecord]: ...
    def lead_ids(self) -> Dict[int, str]: ...
    def accounts_for_every_lead(self) -> bool: ...

def workflows_format_lead_for_instantly(business_json: str) -> str:
    """The old pipeline's lead (JSON text) for a business row (JSON text)."""
def workflows_business_to_lead(business_json: str, *, fill_top_level_contact: bool = True) -> str:
    """The lead (JSON text) for POST /leads/add from a business row (JSON text)."""
def workflows_to_api_timezone(name: str) -> str:
    """The API's schedule timezone for an IANA zone; raises ValidationError."""
def workflows_allowed_timezones() -> List[str]:
    """The schedule timezones the API accepts, in the spec's order."""
def workflows_convert_old_schedule(schedule_json: str) -> str:
    """The old pipeline's campaign_schedule (JSON text) in the v2 shape (JSON text)."""
def workflows_import_leads(core: Core, next_batch: Callable[[], List[str]],
                           progress: Optional[Callable[[int, Optional[int], float, Optional[float]], object]], *,
                           campaign_id: Optional[str], list_id: Optional[str], concurrency: int,
                           checkpoint: Optional[str], chunk_size: int, skip_if_in_workspace: Optional[bool],
                           skip_if_in_campaign: Optional[bool], skip_if_in_list: Optional[bool],
                           blocklist_id: Optional[str], verify_leads_on_import: Optional[bool],
                           assigned_to: Optional[str], max_chunk_attempts: int, total: Optional[int],
                           keep_outcomes: bool) -> ImportResult:
    """Runs a LeadImporter over next_batch() (lists of lead JSON texts, empty at the end); progress(done, total, leads_per_second, eta) after each chunk."""

# One function per operation: (core, path arguments, parameters as JSON, per-call options).
# A call answers with JSON text (None when the API answers nothing); a list with its PageFetcher.
'''


def stub(api: Api) -> str:
    lines = [STUB_HEAD]
    for op in api.operations:
        result = "PageFetcher" if op.response.kind == "page" else "Optional[str]"
        lines.append(f"def {binding_name(op)}(core: Core, path_args: List[str], params_json: Optional[str], "
                     f"options: CallOptions) -> {result}: ...")
    return "\n".join(lines) + "\n"


def emit(api: Api, tree: OutputTree) -> None:
    groups = split(api.resources, FILES)
    for number, resources in enumerate(groups):
        tree.add(f"{SOURCE_DIR}/bind_{number}.cpp", bind_source(number, resources))
    tree.add(f"{SOURCE_DIR}/operations.hpp", operations_header(len(groups)))
    tree.add(STUB, stub(api), comment="#")
