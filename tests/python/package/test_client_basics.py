"""The Client itself: construction, the missing-key error, with_options, context manager, and the
raw escape hatch."""
from __future__ import annotations

import pytest

from conftest import TEST_KEY


def test_missing_key_says_how_to_provide_it(monkeypatch):
    import instantly
    monkeypatch.delenv("INSTANTLY_API_KEY", raising=False)
    with pytest.raises(instantly.ValidationError) as info:
        instantly.Client()
    assert "INSTANTLY_API_KEY" in str(info.value)
    assert "api_key=" in str(info.value)


def test_key_and_base_url_come_from_the_environment(monkeypatch, mock):
    import instantly
    monkeypatch.setenv("INSTANTLY_API_KEY", TEST_KEY)
    monkeypatch.setenv("INSTANTLY_BASE_URL", mock.url)
    with instantly.Client() as client:
        assert client.base_url == mock.url
        assert isinstance(client.campaigns.list(limit=1), instantly.SyncPage)


def test_repr_never_shows_the_key(client):
    assert TEST_KEY not in repr(client)
    assert TEST_KEY not in str(client)
    assert "base_url" in repr(client)


def test_with_options_returns_a_copy_that_works_and_keeps_the_original(client, campaign):
    faster = client.with_options(timeout=5.0, max_retries=0)
    assert faster is not client
    assert faster._timeout == 5.0 and client._timeout == 60.0
    assert faster.campaigns.get(campaign.id).name == campaign.name
    other = client.with_options(workspace="ws-2")
    assert other.workspace == "ws-2" and client.workspace is None


def test_raw_request_escape_hatch(client, campaign):
    answer = client.request("GET", "/api/v2/campaigns", query={"limit": 5})
    assert [item["id"] for item in answer["items"]] == [campaign.id]
    created = client.request("POST", "/api/v2/lead-lists", body={"name": "Raw list"})
    assert created["name"] == "Raw list"


def test_context_manager_closes(mock):
    import instantly
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url) as c:
        c.campaigns.list(limit=1)
    # A closed client refuses further calls with a clear error rather than crashing.
    with pytest.raises(instantly.Error):
        c.campaigns.list(limit=1)


def test_rate_limit_backend_local_is_the_default_and_unknown_ones_are_refused_without_echo(mock):
    import instantly
    with instantly.Client(api_key="sk_test", base_url=mock.url, rate_limit_backend="local") as client:
        next(iter(client.campaigns.list(limit=1)), None)  # one page, through the local limiter
    # Without the redis component: refused as this build lacks it; with it: nothing listens there.
    with pytest.raises((instantly.ValidationError, instantly.RateLimiterError)) as refused:
        instantly.Client(api_key="sk_test", base_url=mock.url,
                         rate_limit_backend="redis://:hunter2-password@127.0.0.1:1/0")
    assert "Redis" in str(refused.value) and "hunter2" not in str(refused.value)
    with pytest.raises(instantly.ValidationError) as unknown:
        instantly.Client(api_key="sk_test", base_url=mock.url, rate_limit_backend="memcached://secret@host")
    assert "memcached" in str(unknown.value) and "secret" not in str(unknown.value)
