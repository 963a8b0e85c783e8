"""Hostile input on the way out, through instantly.Client and AsyncClient: keys, URLs, headers,
methods and ids with control characters or dot segments. Each is refused with ValidationError
before anything is sent (the server counts no request), and the key is in no message or repr."""
from __future__ import annotations

import asyncio
import logging

import pytest

from hostile_server import HostileServer, respond

KEY = "sk_hostile_SECRET_7f3a"


def assert_no_key(*texts: str) -> None:
    for text in texts:
        assert KEY not in text


@pytest.fixture
def server():
    with HostileServer(respond("200 OK", b'{"id":"c1","name":"n"}')) as s:
        yield s


@pytest.fixture
def client(server):
    import instantly
    with instantly.Client(api_key=KEY, base_url=server.url, max_retries=0, rate_limit=False) as c:
        yield c


@pytest.mark.parametrize("key", [KEY + "\r\nX-Injected: 1", KEY + "\x00tail", KEY + "\x7f", " " + KEY, "sk\tkey"])
def test_a_key_with_control_characters_or_spaces_is_refused_without_quoting_it(key):
    import instantly
    with pytest.raises(instantly.ValidationError) as info:
        instantly.Client(api_key=key, base_url="http://127.0.0.1:9")
    assert "API key" in str(info.value)
    assert_no_key(str(info.value), repr(info.value))
    assert "X-Injected" not in str(info.value)


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/", "javascript:alert(1)", "http://127.0.0.1:9\r\nX-Injected: 1",
                                 "http://127.0.0.1:9/ a"])
def test_a_base_url_of_another_scheme_or_with_control_characters_is_refused(url):
    import instantly
    with pytest.raises(instantly.ValidationError) as info:
        instantly.Client(api_key=KEY, base_url=url)
    assert "base_url" in str(info.value)
    assert "X-Injected" not in str(info.value)
    assert_no_key(str(info.value))


@pytest.mark.parametrize("option", [{"workspace": "ws\r\nAuthorization: Bearer stolen"}, {"user_agent": "app/1\nX: y"}])
def test_a_workspace_or_user_agent_with_a_line_break_is_refused(option):
    import instantly
    with pytest.raises(instantly.ValidationError):
        instantly.Client(api_key=KEY, base_url="http://127.0.0.1:9", **option)


@pytest.mark.parametrize("value", ["a\r\nAuthorization: Bearer evil", "a\x00b", "a\nb"])
def test_a_header_value_with_a_line_break_or_nul_is_refused_before_sending(client, server, value):
    import instantly
    with pytest.raises(instantly.ValidationError) as info:
        client.request("GET", "/api/v2/campaigns", headers={"X-Trace": value})
    assert "X-Trace" in str(info.value)
    assert server.requests == 0


@pytest.mark.parametrize("name", ["Authorization:x", "X Trace", "X-Trace\r\nHost"])
def test_a_header_name_that_is_not_a_token_is_refused(client, server, name):
    import instantly
    with pytest.raises(instantly.ValidationError):
        client.request("GET", "/api/v2/campaigns", headers={name: "v"})
    assert server.requests == 0


@pytest.mark.parametrize("method", ["GET /x HTTP/1.1\r\nHost: evil\r\n\r\nGET", "GE T", ""])
def test_a_method_that_is_not_a_token_is_refused(client, server, method):
    import instantly
    with pytest.raises(instantly.ValidationError):
        client.request(method, "/api/v2/campaigns")
    assert server.requests == 0


@pytest.mark.parametrize("campaign_id", ["..", ".", ""])
def test_an_id_that_would_address_another_resource_is_refused(client, server, campaign_id):
    import instantly
    with pytest.raises(instantly.ValidationError):
        client.campaigns.get(campaign_id)
    with pytest.raises(instantly.ValidationError):
        client.campaigns.delete(campaign_id)
    assert server.requests == 0


def test_an_id_with_slashes_and_query_characters_stays_in_its_segment(client, server):
    client.campaigns.get("../accounts?limit=1#x")
    assert server.heads[-1].startswith(b"GET /api/v2/campaigns/..%2Faccounts%3Flimit%3D1%23x HTTP/1.1\r\n")


def test_a_raw_path_with_a_line_break_is_refused(client, server):
    import instantly
    with pytest.raises(instantly.ValidationError):
        client.request("GET", "/api/v2/campaigns\r\nX-Evil: 1")
    assert server.requests == 0


def test_async_client_refuses_the_same_inputs_before_sending(server):
    import instantly

    async def main():
        async with instantly.AsyncClient(api_key=KEY, base_url=server.url, max_retries=0) as client:
            with pytest.raises(instantly.ValidationError):
                await client.campaigns.get("..")
            with pytest.raises(instantly.ValidationError):
                await client.request("GET", "/api/v2/campaigns", headers={"X-Trace": "a\r\nb"})
            assert_no_key(repr(client))

    asyncio.run(main())
    assert server.requests == 0


def test_the_key_is_in_no_repr_or_log_record_after_refusals(caplog, server):
    import instantly
    caplog.set_level(logging.DEBUG)
    client = instantly.Client(api_key=KEY, base_url=server.url, max_retries=0)
    seen = [repr(client), str(client), repr(client.with_options(timeout=2))]
    for call in (lambda: client.campaigns.get(".."), lambda: client.request("GET", "/x", headers={"A": "\n"})):
        with pytest.raises(instantly.ValidationError) as info:
            call()
        seen += [str(info.value), repr(info.value)]
    seen += [record.getMessage() for record in caplog.records]
    assert_no_key(*seen)
