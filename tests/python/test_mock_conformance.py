"""Every one of the API's operations, called on instantly-mock, answers with its documented
success status and a body that validates against the spec's response schema.

The requests are the ones the generated operation tests send (recorded through
$INSTANTLY_RECORD_REQUESTS), so each is valid for its operation. Before sending them the mock is
given one of each thing the paths and bodies refer to (a campaign, a lead, a list, an account, a
webhook, an email...), and their ids replace the placeholders the operation tests use. Deleting
operations run last so they do not pull the rug from under the rest.
"""
from __future__ import annotations

import json
import os
import re
import urllib.parse

import pytest

from mock_process import MockProcess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The spec is not part of the repository: scripts/test passes it in INSTANTLY_SPEC when it has it.
SPEC_PATH = os.environ.get("INSTANTLY_SPEC", "")
if not os.path.exists(SPEC_PATH):
    pytest.skip(f"no spec (INSTANTLY_SPEC={SPEC_PATH!r})", allow_module_level=True)
jsonschema = pytest.importorskip("jsonschema")

from test_spec_conformance import recorded_requests  # noqa: E402  (same recording, same binary)

HTTP_METHODS = ("get", "post", "put", "patch", "delete")
SENDER = "sender+mock@example.com"


@pytest.fixture(scope="module")
def spec() -> dict:
    with open(SPEC_PATH, encoding="utf-8") as f:
        return json.load(f)


def response_validator(spec: dict, schema: dict):
    document = {**schema, "components": spec["components"]}
    return jsonschema.Draft202012Validator(document, format_checker=jsonschema.FormatChecker(formats=("email", "date")))


def success(spec_op: dict) -> tuple[int, dict | None]:
    codes = sorted(c for c in spec_op.get("responses", {}) if c.startswith("2"))
    code = codes[0] if codes else "200"
    content = spec_op.get("responses", {}).get(code, {}).get("content", {})
    schema = content.get("application/json", {}).get("schema") if int(code) != 204 else None
    return int(code), schema


def operations(spec: dict) -> dict[str, tuple[str, str, dict]]:
    return {op["operationId"]: (method.upper(), path, op)
            for path, item in spec["paths"].items() for method, op in item.items()
            if method in HTTP_METHODS and isinstance(op, dict)}


def seed(mock: MockProcess) -> dict[str, str]:
    """One of each referenced thing; returns placeholder -> real id."""
    def ok(method, path, body=None):
        status, answer, _ = mock.request(method, path, body)
        assert 200 <= status < 300, f"seeding {method} {path}: {status} {answer}"
        return answer

    schedule = {"schedules": [{"name": "Weekdays", "timing": {"from": "09:00", "to": "17:00"},
                               "days": {"1": True, "2": True, "3": True, "4": True, "5": True},
                               "timezone": "America/Detroit"}]}
    ok("POST", "/api/v2/accounts", {"email": SENDER, "first_name": "Sam", "last_name": "Sender",
                                    "provider_code": 2, "imap_username": SENDER, "imap_password": "x",
                                    "imap_host": "imap.example.com", "imap_port": 993, "smtp_username": SENDER,
                                    "smtp_password": "x", "smtp_host": "smtp.example.com", "smtp_port": 587})
    campaign = ok("POST", "/api/v2/campaigns", {
        "name": "Conformance", "campaign_schedule": schedule, "email_list": [SENDER],
        "sequences": [{"steps": [{"type": "email", "delay": 1, "variants": [{"subject": "Hi", "body": "Hello"}]}]}]})
    lead_list = ok("POST", "/api/v2/lead-lists", {"name": "Conformance list"})
    added = ok("POST", "/api/v2/leads/add", {"campaign_id": campaign["id"], "leads": [
        {"email": f"lead{i}@example.org", "first_name": f"Lead{i}"} for i in range(3)]})
    lead_id = added["created_leads"][0]["id"]
    ok("POST", f"/api/v2/campaigns/{campaign['id']}/activate")
    ok("POST", "/__mock/send", {"campaign_id": campaign["id"], "seed": 1,
                                "rates": {"opened": 1, "clicked": 1, "replied": 1}})
    status, emails, _ = mock.request("GET", "/api/v2/emails?limit=1")
    email_id = emails["items"][0]["id"] if status == 200 and emails.get("items") else "missing-email"
    thread_id = emails["items"][0].get("thread_id", email_id) if status == 200 and emails.get("items") else "t"
    webhook = ok("POST", "/api/v2/webhooks", {"target_hook_url": "http://127.0.0.1:9/hook", "event_type": "all_events"})
    entry = ok("POST", "/api/v2/block-lists-entries", {"bl_value": "blocked.example.com"})
    tag = ok("POST", "/api/v2/custom-tags", {"label": "Conformance"})
    api_key = ok("POST", "/api/v2/api-keys", {"name": "Conformance", "scopes": ["all:all"]})
    job = ok("POST", "/api/v2/leads/move", {"ids": [added["created_leads"][2]["id"]], "to_list_id": lead_list["id"]})
    # A delivery attempt to a closed port leaves a webhook event behind.
    ok("POST", f"/api/v2/webhooks/{webhook['id']}/test")
    ok("POST", "/__mock/webhooks/flush", {"timeout_ms": 5000})
    status, events, _ = mock.request("GET", "/api/v2/webhook-events?limit=1")
    assert status == 200 and events["items"], f"no webhook event recorded: {events}"
    return {"campaign": campaign["id"], "lead": lead_id, "list": lead_list["id"], "email": email_id,
            "thread": thread_id, "webhook": webhook["id"], "block": entry["id"], "tag": tag["id"],
            "account": SENDER, "api_key": api_key["id"], "job": job["id"], "webhook_event": events["items"][0]["id"],
            "lead_email": added["created_leads"][1]["email"]}


# Which seeded thing a path's id stands for, by the path's first segment after /api/v2/.
PATH_OWNERS = {"campaigns": "campaign", "leads": "lead", "lead-lists": "list", "emails": "email",
               "webhooks": "webhook", "block-lists-entries": "block", "custom-tags": "tag",
               "accounts": "account", "api-keys": "api_key", "background-jobs": "job",
               "webhook-events": "webhook_event"}


def concrete_path(template: str, recorded: str, ids: dict[str, str]) -> str:
    """The recorded path with its parameters replaced by seeded ids where one fits."""
    owner = PATH_OWNERS.get(template.split("/")[3] if template.count("/") >= 3 else "")
    out = []
    for want, got in zip(template.split("/"), recorded.split("/")):
        if want.startswith("{") and owner and want in ("{id}", "{email}", "{campaign_id}", "{lead_id}"):
            out.append(urllib.parse.quote(ids[owner], safe=""))
        elif want == "{thread_id}":
            out.append(ids["thread"])
        else:
            out.append(got)
    return "/".join(out)


BODY_REFERENCES = {"campaign_id": "campaign", "campaign": "campaign", "list_id": "list", "lead_id": "lead",
                   "reply_to_uuid": "email", "eaccount": "account", "lead_email": "lead_email",
                   "to_campaign_id": "campaign", "tag_ids": "tag"}

# What an operation's recorded body needs on top to be valid against this state: the operation
# tests send the smallest valid body, which the mock's state rules may still refuse.
BODY_ADDITIONS = {
    "createLead": lambda ids: {"email": "created-lead@example.org"},
    "patchBlockListEntry": lambda ids: {"bl_value": "patched.example.com"},
    "moveLeads": lambda ids: {"to_list_id": ids["list"]},
}


def concrete_body(body, ids: dict[str, str]):
    if isinstance(body, dict):
        out = {}
        for k, v in body.items():
            if k in BODY_REFERENCES and isinstance(v, str):
                out[k] = ids[BODY_REFERENCES[k]]
            elif k in BODY_REFERENCES and isinstance(v, list) and all(isinstance(x, str) for x in v):
                out[k] = [ids[BODY_REFERENCES[k]]]
            else:
                out[k] = concrete_body(v, ids)
        return out
    if isinstance(body, list):
        return [concrete_body(v, ids) for v in body]
    return body


def test_every_operation_answers_per_its_response_schema(spec):
    ops = operations(spec)
    requests = {r["operation_id"]: r for r in recorded_requests()}
    assert set(ops) <= set(requests), f"no recorded request for {sorted(set(ops) - set(requests))}"
    failures = []
    with MockProcess(["--no-rate-limit", "--seed", "1", "--webhook-retry-delays", "10,10,10"]) as mock:
        ids = seed(mock)
        # Deletes last, so the things they delete are there for everyone else first; deletes of
        # one thing before bulk deletes of many, and containers (whose leads go with them) last.
        containers = {"deleteCampaign", "deleteLeadList"}
        order = sorted(ops, key=lambda op_id: (ops[op_id][0] == "DELETE", op_id in containers,
                                               "{" not in ops[op_id][1], op_id))
        for op_id in order:
            method, template, spec_op = ops[op_id]
            recorded = requests[op_id]
            path = concrete_path(template, recorded["path"], ids)
            if recorded["query"]:
                path += "?" + recorded["query"]
            body = concrete_body(recorded["body"], ids) if recorded["body"] is not None else None
            if op_id in BODY_ADDITIONS:
                body = {**(body or {}), **BODY_ADDITIONS[op_id](ids)}
            status, answer, _ = mock.request(method, path, body)
            want_status, schema = success(spec_op)
            if status != want_status:
                failures.append(f"{op_id} {method} {path}: status {status}, want {want_status}: {str(answer)[:300]}")
                continue
            if schema is None:
                continue
            errors = list(response_validator(spec, schema).iter_errors(answer))
            for error in errors[:3]:
                where = "/".join(str(p) for p in error.absolute_path) or "(body)"
                failures.append(f"{op_id}: response {where}: {error.message[:200]}")
    print(f"{len(ops)} operations called on instantly-mock")
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
