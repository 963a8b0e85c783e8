"""Answers from a broken proxy or a hostile server, over a real socket on 127.0.0.1: lying
lengths, answers that stall or never end, non-HTTP replies, JSON nested past Python's recursion
limit, valid JSON of the wrong shape, error pages that echo the key. Each is a typed exception of
the package with the key in neither str() nor repr()."""
from __future__ import annotations

import asyncio
import json
import time

import pytest

from hostile_server import HostileServer, respond

KEY = "sk_hostile_SECRET_7f3a"


def client_for(server, **options):
    import instantly
    settings = dict(api_key=KEY, base_url=server.url, max_retries=0, timeout=1.5, rate_limit=False)
    settings.update(options)
    return instantly.Client(**settings)


def raised(error_type, call):
    with pytest.raises(error_type) as info:
        call()
    for text in (str(info.value), repr(info.value), getattr(info.value, "body", "")):
        assert KEY not in text
    return info.value


def stall(first: bytes):
    def script(conn, server):
        conn.sendall(first)
        while not server.stopping.wait(0.02):
            pass
    return script


def test_an_answer_shorter_than_its_content_length_is_a_connection_error():
    import instantly
    with HostileServer(lambda conn, s: conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"id\":\"c1\"}")) as server:
        raised(instantly.ApiConnectionError, lambda: client_for(server).request("GET", "/api/v2/campaigns"))


def test_an_answer_that_stalls_after_its_headers_times_out():
    import instantly
    with HostileServer(stall(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"id\":")) as server:
        start = time.monotonic()
        raised(instantly.ApiTimeoutError, lambda: client_for(server).request("GET", "/api/v2/campaigns"))
        assert time.monotonic() - start < 20


def test_an_endless_chunked_answer_stops_at_max_response_bytes():
    import instantly

    def endless(conn, server):
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"1000\r\n" + b" " * 0x1000 + b"\r\n"
        while not server.stopping.is_set():
            conn.sendall(chunk)

    with HostileServer(endless) as server:
        error = raised(instantly.ResponseTooLargeError,
                       lambda: client_for(server, max_response_bytes=65536).request("GET", "/api/v2/campaigns"))
        assert "max_response_bytes" in str(error)


def test_a_reply_that_is_not_http_is_a_connection_error():
    import instantly
    with HostileServer(lambda conn, s: conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")) as server:
        raised(instantly.ApiConnectionError, lambda: client_for(server).request("GET", "/api/v2/campaigns"))


def test_a_post_whose_connection_drops_is_not_sent_again():
    import instantly
    with HostileServer(lambda conn, s: None) as server:  # read the request, hang up
        raised(instantly.ApiConnectionError,
               lambda: client_for(server, max_retries=3).request("POST", "/api/v2/campaigns", body={"name": "x"}))
        assert server.requests == 1


@pytest.mark.parametrize("depth", [1000, 1024, 100_000])
def test_an_answer_nested_deeper_than_python_reads_is_a_decode_error(depth):
    import instantly
    body = b"[" * depth + b"]" * depth
    with HostileServer(respond("200 OK", body)) as server:
        raised(instantly.DecodeError, lambda: client_for(server).request("GET", "/api/v2/campaigns"))


def test_a_typed_call_answered_with_deep_nesting_is_a_decode_error():
    import instantly
    body = b'{"id":"c1","name":"n","extra":' + b"[" * 1010 + b"]" * 1010 + b"}"
    with HostileServer(respond("200 OK", body)) as server:
        raised(instantly.DecodeError, lambda: client_for(server).campaigns.get("c1"))


@pytest.mark.parametrize("body", [b"[]", b'"campaign"', b"42", b'{"id":5,"name":"n"}'])
def test_valid_json_of_the_wrong_shape_for_a_typed_call_is_a_decode_error(body):
    import instantly
    with HostileServer(respond("200 OK", body)) as server:
        raised(instantly.DecodeError, lambda: client_for(server).campaigns.get("c1"))


def test_documented_duplicate_keys_in_an_answer_the_last_wins():
    with HostileServer(respond("200 OK", b'{"id":"first","name":"n","id":"second"}')) as server:
        assert client_for(server).campaigns.get("c1").id == "second"
        assert client_for(server).request("GET", "/api/v2/campaigns/c1") == {"id": "second", "name": "n"}


def test_numbers_beyond_int64_and_double_are_a_decode_error_not_a_wrong_value():
    import instantly
    with HostileServer(respond("200 OK", b'{"n":1e400}')) as server:
        raised(instantly.DecodeError, lambda: client_for(server).request("GET", "/api/v2/x"))
    with HostileServer(respond("200 OK", b'{"n":18446744073709551616}')) as server:
        raised(instantly.DecodeError, lambda: client_for(server).request("GET", "/api/v2/x"))


def test_an_error_page_echoing_the_request_head_never_shows_the_key():
    import instantly

    def echo(conn, server):
        body = b"<html><pre>" + server.heads[-1] + b"</pre></html>"
        conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: "
                     + str(len(body)).encode() + b"\r\n\r\n" + body)

    with HostileServer(echo) as server:
        error = raised(instantly.InternalServerError, lambda: client_for(server).request("GET", "/api/v2/campaigns"))
        assert "Authorization" in error.body
        assert KEY not in error.message


def test_a_cursor_echoing_the_key_and_repeated_is_a_pagination_error_without_it():
    import instantly
    page = json.dumps({"items": [{"id": "c1", "name": "a"}], "next_starting_after": KEY}).encode()
    with HostileServer(respond("200 OK", page)) as server:
        error = raised(instantly.PaginationError, lambda: list(client_for(server).campaigns.list(limit=1)))
        assert "repeated" in str(error)


def test_async_client_gets_the_same_typed_errors():
    import instantly

    async def main(url):
        async with instantly.AsyncClient(api_key=KEY, base_url=url, max_retries=0, timeout=1.5) as client:
            with pytest.raises(instantly.ApiTimeoutError) as info:
                await client.request("GET", "/api/v2/campaigns")
            assert KEY not in str(info.value) and KEY not in repr(info.value)

    with HostileServer(stall(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{")) as server:
        asyncio.run(main(server.url))
    with HostileServer(respond("200 OK", b"[" * 1010 + b"]" * 1010)) as server:
        async def deep():
            async with instantly.AsyncClient(api_key=KEY, base_url=server.url, max_retries=0) as client:
                with pytest.raises(instantly.DecodeError):
                    await client.request("GET", "/api/v2/campaigns")
        asyncio.run(deep())
