"""The README's Python quick start runs as written (against the mock)."""
from __future__ import annotations

import os
import re

from conftest import TEST_KEY

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
