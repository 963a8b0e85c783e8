"""The README's Python quick start runs as written (against the mock)."""
from __future__ import annotations

import os
import re

from conftest import SCHEDULE, TEST_KEY

README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "README.md")


def test_readme_python_example_runs(mock, monkeypatch, capsys):
    with open(README, encoding="utf-8") as f:
        blocks = re.findall(r"```python\n(.*?)```", f.read(), re.S)
    assert blocks, "the README has no Python example"
    mock.request("POST", "/__mock/reset", {})
    monkeypatch.setenv("INSTANTLY_API_KEY", TEST_KEY)
    monkeypatch.setenv("INSTANTLY_BASE_URL", mock.url)
    exec(compile(blocks[0], "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "1 uploaded, 0 duplicates" in out
    assert "404" in out


def test_readme_webhook_snippet_runs():
    """The webhook snippet, given a delivery the way a web framework would hand it over."""
    import json
    import types

    with open(README, encoding="utf-8") as f:
        blocks = [b for b in re.findall(r"```python\n(.*?)```", f.read(), re.S) if "webhooks.parse" in b]
    assert blocks, "the README lost its webhook example"
    payload = {"event_type": "email_opened", "timestamp": "2026-11-27T10:00:00.000Z", "workspace": "w",
               "campaign_id": "c", "campaign_name": "Cafes", "lead_email": "Owner@Cafe.example"}
    stored = {}
    namespace = {
        "secret": "s3cret-value",
        "request": types.SimpleNamespace(headers={"x-webhook-secret": "s3cret-value"},
                                         body=json.dumps(payload).encode()),
        "store": lambda key, body: stored.setdefault(key, body),
    }
    exec(compile(blocks[0], "README.md", "exec"), namespace)
    [(key, body)] = stored.items()
    assert len(key) == 64 and json.loads(body)["lead_email"] == "Owner@Cafe.example"

    import instantly
    namespace["request"].headers = {"X-Webhook-Secret": "wrong"}
    try:
        exec(compile(blocks[0], "README.md", "exec"), namespace)
    except instantly.WebhookVerificationError as e:
        assert e.reason == "bad_secret"
    else:
        raise AssertionError("a wrong secret was accepted")


def test_readme_keeping_in_sync_snippet_runs(mock, monkeypatch, capsys):
    """The "Keeping in sync" snippet, after a campaign has sent and got replies on the mock."""
    import instantly

    with open(README, encoding="utf-8") as f:
        blocks = [b for b in re.findall(r"```python\n(.*?)```", f.read(), re.S) if "AnalyticsSync" in b]
    assert blocks, "the README lost its keeping-in-sync example"
    mock.request("POST", "/__mock/reset", {})
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url) as client:
        client.accounts.create(email="me@acme.test", first_name="Me", last_name="Acme", provider_code=2,
                               imap_username="me@acme.test", imap_password="x", imap_host="imap.acme.test",
                               imap_port=993, smtp_username="me@acme.test", smtp_password="x",
                               smtp_host="smtp.acme.test", smtp_port=587)
        campaign = client.campaigns.create(
            name="Cafes LA", campaign_schedule=SCHEDULE, email_list=["me@acme.test"],
            sequences=[{"steps": [{"type": "email", "delay": 1,
                                   "variants": [{"subject": "Hi", "body": "Hello {{firstName}}"}]}]}])
        client.leads.add(campaign_id=campaign.id, leads=[{"email": "owner@cafe.test", "first_name": "Ann"}])
        client.campaigns.activate(campaign.id)
    rates = {"opened": 1, "clicked": 0, "replied": 1, "bounced": 0, "unsubscribed": 0, "auto_reply": 0}
    status, _, _ = mock.request("POST", "/__mock/send", {"campaign_id": campaign.id, "seed": 3, "rates": rates})
    assert status == 200
    monkeypatch.setenv("INSTANTLY_API_KEY", TEST_KEY)
    monkeypatch.setenv("INSTANTLY_BASE_URL", mock.url)
    exec(compile(blocks[0], "README.md", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert "Cafes LA 1 1.0" in lines                     # one contacted, one replied
    assert any(line.startswith("me@acme.test ") for line in lines)
    labels = {"interested", "not_interested", "out_of_office", "unsubscribe", "other"}
    assert any(line.startswith("owner@cafe.test ") and line.split()[-1] in labels for line in lines)
