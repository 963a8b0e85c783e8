"""The generated layer of the package (instantly/types, instantly/resources) on its own.

A fake `_core` module stands in for the C++ extension: it records every binding call and answers
with canned JSON, so these tests run where nothing is built. The package is loaded from the
source tree under a private name, so it never mixes with a built `instantly` other tests import.

With the spec (INSTANTLY_SPEC=path), every operation is checked against the
generator's reading of it: one method per operation, binding `<accessor>__<C++ name>`, path
parameters positional, every query/body parameter keyword-only under its API name.
"""
from __future__ import annotations

import enum
import importlib.util
import inspect
import json
import keyword
import os
import sys
import types as pytypes
from typing import Any, Dict, List, Optional, Tuple

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
PACKAGE_DIR = os.path.join(ROOT, "bindings", "python", "instantly")
# The spec is not part of the repository: scripts/test passes it in INSTANTLY_SPEC when it has it.
SPEC = os.environ.get("INSTANTLY_SPEC", "")
NAME = "_instantly_generated_surface"
EXTRAS = ["extra_headers", "extra_query", "extra_body", "timeout"]


# ---- the fake extension -----------------------------------------------------------------------

class FakeFetcher:
    """Hands out the pages it was given, remembering the cursors asked for."""

    def __init__(self, pages: List[Tuple[list, Optional[str]]]):
        self.pages = pages
        self.cursors: List[Optional[str]] = []

    def fetch(self, cursor: Optional[str]) -> Tuple[str, Optional[str]]:
        self.cursors.append(cursor)
        items, next_cursor = self.pages[min(len(self.cursors), len(self.pages)) - 1]
        return json.dumps(items), next_cursor


class Recorder:
    """The state behind the fake `_core`: calls made and answers to give, by binding name."""

    def __init__(self) -> None:
        self.calls: List[Dict[str, Any]] = []
        self.answers: Dict[str, Any] = {}
        self.cores: List[Dict[str, Any]] = []

    def binding(self, name: str):
        def run(core, path_args, params_json, options):
            assert isinstance(core, self.module.Core)
            self.calls.append({"binding": name, "path_args": path_args, "options": options,
                               "params": None if params_json is None else json.loads(params_json)})
            answer = self.answers.get(name, "{}")
            return answer() if callable(answer) else answer
        return run

    def make_module(self) -> pytypes.ModuleType:
        recorder = self
        module = pytypes.ModuleType(f"{NAME}._core")

        class Core:
            def __init__(self, **settings: Any) -> None:
                recorder.cores.append(settings)

            def with_options(self, **settings: Any) -> "Core":
                return Core(**settings)

            def close(self) -> None:
                pass

        class CallOptions:
            def __init__(self, headers, query, timeout) -> None:
                self.headers, self.query, self.timeout = headers, query, timeout

        def module_getattr(name: str):
            if "__" in name and not name.startswith("__"):
                return recorder.binding(name)
            raise AttributeError(name)

        module.Core = Core
        module.CallOptions = CallOptions
        module.__getattr__ = module_getattr
        self.module = module
        return module

    @property
    def last(self) -> Dict[str, Any]:
        return self.calls[-1]


@pytest.fixture(scope="module")
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(scope="module")
def sdk(recorder):
    """The package from the source tree, on the fake `_core`."""
    sys.modules[f"{NAME}._core"] = recorder.make_module()
    spec = importlib.util.spec_from_file_location(NAME, os.path.join(PACKAGE_DIR, "__init__.py"),
                                                  submodule_search_locations=[PACKAGE_DIR])
    module = importlib.util.module_from_spec(spec)
    sys.modules[NAME] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def client(sdk, recorder):
    recorder.calls.clear()
    recorder.answers.clear()
    return sdk.Client(api_key="sk-fake-key")


# ---- the generator's view of the spec -----------------------------------------------------------

def _read_operations():
    if not os.path.exists(SPEC):
        return None
    sys.path.insert(0, os.path.join(ROOT, "tools", "codegen"))
    try:
        from codegen.families import assign_families
        from codegen.reader import read_spec
    finally:
        sys.path.pop(0)
    api = read_spec(SPEC)
    assign_families(api)
    return api


API = _read_operations()
needs_spec = pytest.mark.skipif(API is None, reason="no spec: set INSTANTLY_SPEC to the OpenAPI file")


def _operation_params():
    if API is None:
        return [pytest.param(None, marks=needs_spec)]
    return [pytest.param(op, id=f"{op.resource}.{op.name}") for op in API.operations]


def _spec_operation_count() -> int:
    with open(SPEC, encoding="utf-8") as f:
        spec = json.load(f)
    return sum(1 for item in spec["paths"].values()
               for method in ("get", "post", "put", "patch", "delete") if method in item)


def _python_method(op) -> str:
    return "delete" if op.name == "remove" else op.name


def _python_parameter_ok(json_name: str, python_name: str) -> bool:
    """The API's name, or the same with `_` appended (a Python keyword, or a clash); a name
    Python cannot spell at all takes the C++ member's."""
    if not json_name.isidentifier():
        return python_name.isidentifier()
    suffix = python_name[len(json_name):]
    return python_name.startswith(json_name) and set(suffix) <= {"_"} and \
        (suffix == "" or keyword.iskeyword(json_name) or json_name in EXTRAS or json_name == "self")


def _answer_for(op):
    kind = op.response.kind
    if kind == "page":
        return lambda: FakeFetcher([([{}], None)])
    return {"model": "{}", "array": "[]", "json": '{"any": 1}', "text": '"plain text"', "empty": None}[kind]


# ---- every operation ----------------------------------------------------------------------------

@needs_spec
def test_one_method_per_operation_and_nothing_else(sdk, client):
    accessors = [name for name, value in vars(sdk.resources.ResourceAccessors).items()
                 if not name.startswith("_") and hasattr(value, "__get__")]
    assert sorted(accessors) == sorted(r.accessor for r in API.resources)
    methods = []
    for accessor in accessors:
        resource_class = type(getattr(client, accessor))
        assert issubclass(resource_class, sdk._resource.Resource)
        methods += [f"{accessor}.{name}" for name, value in vars(resource_class).items()
                    if not name.startswith("_") and callable(value)]
    assert len(methods) == len(API.operations) == _spec_operation_count()


@pytest.mark.parametrize("op", _operation_params())
def test_operation_method_maps_its_arguments(sdk, client, recorder, op):
    method = getattr(getattr(client, op.resource), _python_method(op))
    parameters = list(inspect.signature(method).parameters.values())

    path = parameters[:len(op.path_params)]
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty for p in path)
    keywords = parameters[len(op.path_params):]
    assert all(p.kind is p.KEYWORD_ONLY for p in keywords)
    assert [p.name for p in keywords[-4:]] == EXTRAS
    api_params = keywords[:-4]

    fields = op.params.fields if op.params else []
    assert len(api_params) == len(fields)
    required = {p.name for p in api_params if p.default is p.empty}
    assert all(p.default is sdk.NOT_GIVEN for p in api_params if p.name not in required)

    # Every argument given a distinct value must reach the params JSON under its API name.
    values = {p.name: f"value of {p.name}" for p in api_params}
    recorder.answers[f"{op.resource}__{op.name}"] = _answer_for(op)
    result = method(*[f"path{i}" for i in range(len(path))], **values)
    call = recorder.last
    assert call["binding"] == f"{op.resource}__{op.name}"
    assert call["path_args"] == [f"path{i}" for i in range(len(path))]
    sent = call["params"] or {}
    assert sorted(sent) == sorted(f.json_name for f in fields)
    by_value = {v: k for k, v in values.items()}
    for f in fields:
        python_name = by_value[sent[f.json_name]]
        assert _python_parameter_ok(f.json_name, python_name), (f.json_name, python_name)
        assert (python_name in required) == f.required, f.json_name
    if op.params is None:
        assert call["params"] is None

    kind = op.response.kind
    if kind == "page":
        assert isinstance(result, sdk.SyncPage) and len(result.items) == 1
    elif kind == "model":
        assert isinstance(result, sdk.BaseModel) and type(result).__name__ == op.response.type.name
    elif kind == "array":
        assert result == []
    elif kind == "empty":
        assert result is None
    elif kind == "text":
        assert result == "plain text"
    else:
        assert result == {"any": 1}


@needs_spec
def test_types_export_every_model_and_enum_except_parameter_structs(sdk):
    exported = set(sdk.types.__all__)
    expected = {m.name for m in API.models if not m.is_params} | {e.name for e in API.enums}
    assert exported == expected
    for name in exported:
        assert getattr(sdk.types, name).__module__.startswith(f"{NAME}.types.")


# ---- the client and one call in detail ----------------------------------------------------------

SCHEDULE = {"schedules": [{"name": "Weekdays", "timing": {"from": "09:00", "to": "17:00"},
                           "days": {"1": True, "2": True}, "timezone": "America/Detroit"}]}


def test_client_builds_one_core_with_its_settings(sdk, recorder):
    recorder.cores.clear()
    client = sdk.Client(api_key="sk-fake-key", base_url="http://127.0.0.1:1", timeout=5, workspace="w1")
    assert recorder.cores == [{"api_key": "sk-fake-key", "base_url": "http://127.0.0.1:1", "timeout": 5.0,
                               "max_retries": 2, "workspace": "w1", "user_agent": None, "rate_limit": True,
                               "rate_limit_backend": None, "max_response_bytes": 64 << 20,
                               "validate_requests": True, "observer_hooks": None}]
    assert client.campaigns is client.campaigns  # made once, kept
    assert type(client.campaigns).__name__ == "Campaigns"


def test_create_sends_api_names_drops_not_given_and_keeps_none(sdk, client, recorder):
    recorder.answers["campaigns__create"] = json.dumps({"id": "c1", "name": "Cafes", "status": 0})
    schedule = sdk.types.CampaignSchedule.from_dict(SCHEDULE)
    campaign = client.campaigns.create(name="Cafes", campaign_schedule=schedule, daily_limit=None,
                                       extra_headers={"X-Trace": "1"}, extra_query={"debug": True},
                                       extra_body={"beta": 1}, timeout=3.5)
    call = recorder.last
    assert call["binding"] == "campaigns__create" and call["path_args"] == []
    assert call["params"] == {"name": "Cafes", "campaign_schedule": SCHEDULE, "daily_limit": None, "beta": 1}
    assert call["options"].headers == {"X-Trace": "1"}
    assert call["options"].query == [("debug", "true")]
    assert call["options"].timeout == 3.5
    assert isinstance(campaign, sdk.types.Campaign) and campaign.id == "c1"
    assert campaign.status is sdk.types.CampaignStatus.DRAFT


def test_keyword_arguments_are_keyword_only_and_required_ones_are_enforced(client):
    with pytest.raises(TypeError):
        client.campaigns.create("Cafes", SCHEDULE)  # type: ignore[misc]
    with pytest.raises(TypeError):
        client.campaigns.create(campaign_schedule=SCHEDULE)  # type: ignore[call-arg]


def test_path_arguments_delete_and_enum_inputs(sdk, client, recorder):
    recorder.answers["campaigns__remove"] = json.dumps({"id": "c9", "name": "Old"})
    client.campaigns.delete("c9")
    assert recorder.last["binding"] == "campaigns__remove" and recorder.last["path_args"] == ["c9"]
    recorder.answers["campaigns__get_daily_analytics"] = "[]"
    client.campaigns.get_daily_analytics(campaign_status=sdk.types.CampaignStatus.ACTIVE)
    assert recorder.last["params"] == {"campaign_status": 1}


def test_python_keyword_parameter_is_sent_under_the_api_name(client, recorder):
    recorder.answers["webhook_events__list"] = lambda: FakeFetcher([([], None)])
    client.webhook_events.list(from_="2024-01-01", limit=3)
    assert recorder.last["params"] == {"from": "2024-01-01", "limit": 3}


def test_models_and_dicts_mix_in_list_parameters(sdk, client, recorder):
    recorder.answers["leads__add"] = "{}"
    client.leads.add(campaign_id="c1", leads=[sdk.types.LeadAddParamsLead(email="a@example.com"),
                                              {"email": "b@example.com", "first_name": "B"}])
    assert recorder.last["params"] == {
        "campaign_id": "c1", "leads": [{"email": "a@example.com"}, {"email": "b@example.com", "first_name": "B"}]}


def test_page_operation_returns_a_sync_page_that_walks_all_pages(sdk, client, recorder):
    fetcher = FakeFetcher([([{"id": "a", "name": "A"}, {"id": "b", "name": "B"}], "b"),
                           ([{"id": "c", "name": "C"}], "c"), ([], None)])
    recorder.answers["campaigns__list"] = fetcher
    page = client.campaigns.list(limit=2)
    assert isinstance(page, sdk.SyncPage)
    assert recorder.last["params"] == {"limit": 2}
    assert [c.name for c in page.items] == ["A", "B"]
    assert all(isinstance(c, sdk.types.Campaign) for c in page.items)
    assert [c.id for c in page] == ["a", "b", "c"]
    assert fetcher.cursors == [None, "b", "c"]


# ---- models and enums ---------------------------------------------------------------------------

def test_model_properties_nested_models_lists_enums_and_unknown_fields(sdk):
    t = sdk.types
    campaign = t.Campaign.from_dict({
        "id": "c1", "name": "Cafes", "status": 1, "campaign_schedule": SCHEDULE,
        "sequences": [{"steps": [{"type": "email", "delay": 2}]}], "email_list": ["a@example.com"],
        "pl_value": None, "brand_new": {"x": 1}})
    assert campaign.name == "Cafes"
    assert campaign.status is t.CampaignStatus.ACTIVE and campaign.status == 1
    entry = campaign.campaign_schedule.schedules[0]
    assert isinstance(campaign.campaign_schedule, t.CampaignSchedule)
    assert isinstance(entry, t.CampaignScheduleEntry)
    assert entry.timezone is t.Timezone.AMERICA_DETROIT and entry.timezone == "America/Detroit"
    assert entry.timing.from_ == "09:00"  # `from` is a keyword
    assert entry.days.monday is True and entry.days.sunday is None  # "1" and "0" in the API
    assert campaign.sequences[0].steps[0].type == "email"
    assert campaign.email_list == ["a@example.com"]
    assert campaign.pl_value is None and campaign.daily_limit is None
    assert campaign.model_extra == {"brand_new": {"x": 1}}
    assert t.Campaign.from_dict({"status": 77}).status == 77  # an unknown value stays as sent


def test_model_classes_are_slotted_views_with_their_field_names(sdk):
    t = sdk.types
    assert t.Campaign.__slots__ == ()
    assert {"id", "name", "status", "campaign_schedule"} <= t.Campaign._field_names
    assert t.CampaignScheduleEntryDays._field_names == frozenset(str(d) for d in range(7))
    prop = t.Campaign.__dict__["name"]
    assert isinstance(prop, property) and prop.fset is None
    assert t.LeadAddParamsLead(email="a@example.com").to_dict() == {"email": "a@example.com"}


def test_enums_are_int_or_str_enums_with_upper_snake_members(sdk):
    t = sdk.types
    assert issubclass(t.CampaignStatus, int) and t.CampaignStatus(2) is t.CampaignStatus.PAUSED
    assert issubclass(t.Timezone, str) and t.Timezone("America/Detroit").name == "AMERICA_DETROIT"
    for name in t.__all__:
        cls = getattr(t, name)
        if isinstance(cls, type) and issubclass(cls, enum.Enum):
            assert all(member == member.upper() for member in cls.__members__), name
