"""Each exception class, raised from the C++ core with its attributes."""
from __future__ import annotations

import socket

import pytest

from conftest import TEST_KEY
from mock_process import MockProcess


def queue(mock, **answer):
    status, body, _ = mock.request("POST", "/__mock/responses", answer)
    assert status == 200, body


def test_401_authentication_error():
    import instantly
    with MockProcess(["--api-key", "the-right-key"]) as mock:
        client = instantly.Client(api_key=TEST_KEY, base_url=mock.url)
        with pytest.raises(instantly.AuthenticationError) as info:
            client.campaigns.list(limit=1)
    e = info.value
    assert e.status_code == 401
    assert e.error == "Unauthorized"
    assert e.method == "GET" and e.path == "/api/v2/campaigns"
    assert e.attempts == 1
    assert TEST_KEY not in str(e) and TEST_KEY not in repr(e) and TEST_KEY not in e.body


def test_402_payment_required_is_not_retried(client, mock):
    import instantly
    queue(mock, status=402, body={"statusCode": 402, "error": "Payment Required", "message": "no credits"}, times=5)
    with pytest.raises(instantly.PaymentRequiredError) as info:
        client.campaigns.list(limit=1)
    assert info.value.status_code == 402
    assert info.value.message == "no credits"
    assert info.value.attempts == 1


def test_403_cloudflare_1010_is_explained(mock):
    import instantly
    client = instantly.Client(api_key=TEST_KEY, base_url=mock.url, user_agent="Python-urllib/3.11")
    with pytest.raises(instantly.PermissionDeniedError) as info:
        client.campaigns.list(limit=1)
    assert info.value.status_code == 403
    assert "1010" in info.value.body
    assert "User-Agent" in str(info.value)


def test_404_not_found(client):
    import instantly
    with pytest.raises(instantly.NotFoundError) as info:
        client.campaigns.get("00000000-0000-7000-8000-000000000000")
    assert info.value.status_code == 404
    assert info.value.path == "/api/v2/campaigns/00000000-0000-7000-8000-000000000000"


def test_400_bad_request_names_the_field(client):
    import instantly
    with pytest.raises((instantly.BadRequestError, instantly.ValidationError)) as info:
        client.request("POST", "/api/v2/campaigns", body={"name": "no schedule"})
    assert "campaign_schedule" in str(info.value)


def test_429_with_retry_after_after_retries(client, mock):
    import instantly
    queue(mock, status=429, headers={"Retry-After": "1"}, times=1)
    quick = client.with_options(max_retries=0)
    with pytest.raises(instantly.RateLimitError) as info:
        quick.campaigns.list(limit=1)
    assert info.value.status_code == 429
    assert info.value.retry_after == 1.0
    assert info.value.attempts == 1


def test_5xx_after_retries_reports_the_attempts(client, mock):
    import instantly
    queue(mock, status=500, times=3)
    with pytest.raises(instantly.InternalServerError) as info:
        client.with_options(max_retries=2).campaigns.list(limit=1)
    assert info.value.status_code == 500
    assert info.value.attempts == 3
    assert info.value.stop_reason


def test_retried_5xx_then_success(client, mock):
    queue(mock, status=503, times=2)
    assert client.with_options(max_retries=2).campaigns.list(limit=1).items == []


def test_connection_refused_is_an_api_connection_error():
    import instantly
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = instantly.Client(api_key=TEST_KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0)
    with pytest.raises(instantly.ApiConnectionError) as info:
        client.campaigns.list(limit=1)
    assert not isinstance(info.value, instantly.ApiTimeoutError)
    assert info.value.request_never_sent is True
    assert TEST_KEY not in str(info.value)


def test_timeout_is_an_api_timeout_error():
    import instantly
    with MockProcess(["--latency-ms", "2000"]) as mock:
        client = instantly.Client(api_key=TEST_KEY, base_url=mock.url, timeout=0.3, max_retries=0)
        with pytest.raises(instantly.ApiTimeoutError) as info:
            client.campaigns.list(limit=1)
    assert isinstance(info.value, instantly.ApiConnectionError)


def test_every_class_derives_from_error():
    import instantly
    for name in ("ApiError", "BadRequestError", "AuthenticationError", "PaymentRequiredError",
                 "PermissionDeniedError", "NotFoundError", "ConflictError", "UnprocessableEntityError",
                 "RateLimitError", "InternalServerError", "ApiConnectionError", "ApiTimeoutError",
                 "ValidationError", "DecodeError", "PaginationError", "WebhookVerificationError",
                 "CancelledError", "RateLimiterError", "DatabaseError", "SchemaError", "ResponseTooLargeError"):
        assert issubclass(getattr(instantly, name), instantly.Error)
    assert issubclass(instantly.SchemaError, instantly.DatabaseError)
    assert instantly.DatabaseError("refused", sqlstate="42501").sqlstate == "42501"


def test_an_answer_past_max_response_bytes_is_abandoned_and_not_retried(client, mock, campaign):
    import instantly
    small = client.with_options(max_response_bytes=1024)  # a campaign is about 1.5 KB of JSON
    mock.request("POST", "/__mock/stats/reset")
    with pytest.raises(instantly.ResponseTooLargeError) as info:
        small.campaigns.get(campaign.id)
    assert (info.value.limit, info.value.method, info.value.attempts) == (1024, "GET", 1)
    assert info.value.path == f"/api/v2/campaigns/{campaign.id}"
    assert sum(mock.request("GET", "/__mock/stats")[1]["operations"].values()) == 1
    assert client.campaigns.get(campaign.id).id == campaign.id  # the default (64 MiB) takes it
    with pytest.raises(instantly.ValidationError, match="max_response_bytes"):
        client.with_options(max_response_bytes=0)


def test_a_redirect_is_an_api_error_naming_only_its_origin(client, mock):
    import instantly
    queue(mock, status=302, path="/api/v2/campaigns", times=1,
          headers={"Location": "https://user:hunter2@elsewhere.example/collect?token=abc"})
    with pytest.raises(instantly.ApiError) as info:
        client.campaigns.list(limit=1)
    assert info.value.status_code == 302
    assert info.value.message == "unexpected redirect to https://elsewhere.example (redirects are not followed)"
    assert "hunter2" not in str(info.value) and "token" not in str(info.value)
