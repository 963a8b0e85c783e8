"""The API key never appears in a repr, a str, an exception or a log record."""
from __future__ import annotations

import logging

import pytest

from conftest import TEST_KEY
from mock_process import MockProcess


def test_key_in_no_repr_error_or_log_record(caplog, mock):
    import instantly
    caplog.set_level(logging.DEBUG)
    seen = []
    client = instantly.Client(api_key=TEST_KEY, base_url=mock.url, max_retries=1)
    seen += [repr(client), str(client), repr(client.with_options(timeout=3))]
    mock.request("POST", "/__mock/responses", {"status": 500, "text": f"echo {TEST_KEY}", "times": 2})
    with pytest.raises(instantly.InternalServerError) as info:
        client.campaigns.list(limit=1)
    e = info.value
    seen += [str(e), repr(e), e.body, e.message, str(e.args)]
    with MockProcess(["--api-key", "other"]) as strict:
        with pytest.raises(instantly.AuthenticationError) as auth:
            instantly.Client(api_key=TEST_KEY, base_url=strict.url).campaigns.list(limit=1)
    seen += [str(auth.value), repr(auth.value), auth.value.body]
    seen += [record.getMessage() for record in caplog.records]
    for text in seen:
        assert TEST_KEY not in text
