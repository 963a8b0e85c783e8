"""Webhook deliveries as an attacker sends them, through instantly.webhooks: bodies empty, huge,
not UTF-8 or nested without end; forged secrets and signatures; replays. Each is a DecodeError or
a WebhookVerificationError with its reason, the secret in no message; a replay changes nothing."""
from __future__ import annotations

import json

import pytest

SECRET = "whk_hostile_SECRET_7f3a_header"
SIGNING = "whsec_c2tfaG9zdGlsZV9TRUNSRVRfN2YzYV9zaWdu"  # base64 of a 27-byte key
NOW = 1_700_000_000
BODY = json.dumps({"event_type": "reply_received", "timestamp": "2024-05-01T10:00:00Z", "workspace": "w1",
                   "campaign_id": "c1", "campaign_name": "Cafes", "lead_email": "ann@cafe.example",
                   "email_id": "e1", "step": 1, "variant": 1}).encode()


@pytest.fixture(scope="module")
def wh():
    import instantly.webhooks
    return instantly.webhooks


def refused(wh, call, reason):
    import instantly
    with pytest.raises(instantly.WebhookVerificationError) as info:
        call()
    assert info.value.reason == reason
    for text in (str(info.value), repr(info.value)):
        assert SECRET not in text and "c2tfaG9zdGlsZV9TRUNSRVRfN2YzYV9zaWdu" not in text


@pytest.mark.parametrize("body", [b"", b"   ", b"null", b"[]", b'"x"', b"\xff\xfe{}",
                                  b'{"event_type":"email_sent","x":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
                                  b'{"event_type":"email_sent","pad":"' + b"A" * (2 << 20) + b'"}'],
                         ids=["empty", "blank", "null", "array", "string", "not-utf8", "nested", "huge"])
def test_a_hostile_body_is_a_decode_error_that_does_not_quote_it(wh, body):
    import instantly
    with pytest.raises(instantly.DecodeError) as info:
        wh.parse(body)
    assert "AAAA" not in str(info.value)
    assert len(str(info.value)) < 500


@pytest.mark.parametrize("body", ['{"event_type":"email_sent","x":"\ud800"}',
                                  b'{"event_type":"email_sent","x":"caf\xe9"}'.decode("utf-8", "surrogateescape")],
                         ids=["lone-surrogate", "surrogateescape"])
def test_a_str_body_with_lone_surrogates_is_a_decode_error_not_a_type_error(wh, body):
    import instantly
    with pytest.raises(instantly.DecodeError) as info:
        wh.parse(body)
    assert "UTF-8" in str(info.value)


@pytest.mark.parametrize("step", ['"2"', "2.5", "1e400", "9223372036854775808"])
def test_a_field_of_the_wrong_type_is_a_decode_error(wh, step):
    import instantly
    with pytest.raises(instantly.DecodeError):
        wh.parse(BODY.replace(b'"step": 1', b'"step": ' + step.encode()))


@pytest.mark.parametrize("headers", [{}, {"X-Webhook-Secret": "guess"}, {"X-Webhook-Secret": SECRET + "x"},
                                     {"X-Webhook-Secret": SECRET[:10]}, {"X-Webhook-Secret": "x" * (1 << 20)}],
                         ids=["missing", "guess", "suffix", "prefix", "huge"])
def test_a_forged_secret_header_is_refused(wh, headers):
    verifier = wh.SecretHeaderVerifier("X-Webhook-Secret", SECRET)
    reason = "missing_header" if not headers else "bad_secret"
    refused(wh, lambda: verifier.verify(headers), reason)


def test_a_forged_header_before_the_real_one_does_not_pass(wh):
    verifier = wh.SecretHeaderVerifier("X-Webhook-Secret", SECRET)
    refused(wh, lambda: verifier.verify([("X-Webhook-Secret", "forged"), ("x-webhook-secret", SECRET)]), "bad_secret")


def test_an_altered_or_replayed_signed_delivery_is_refused(wh):
    verifier = wh.StandardWebhooksVerifier(SIGNING, tolerance=300)
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(NOW),
               "webhook-signature": verifier.sign("msg_1", NOW, BODY)}
    verifier.verify(headers, BODY, now=NOW)
    refused(wh, lambda: verifier.verify(headers, BODY.replace(b"ann@", b"eve@"), now=NOW), "bad_signature")
    refused(wh, lambda: verifier.verify(headers, BODY, now=NOW + 301), "stale_timestamp")
    refused(wh, lambda: verifier.verify(dict(headers, **{"webhook-id": "msg_2"}), BODY, now=NOW), "bad_signature")


@pytest.mark.parametrize("timestamp", ["99999999999999999999999", "-9223372036854775808", "1e9", "0x6553f100", ""])
def test_timestamps_built_to_overflow_are_refused(wh, timestamp):
    import instantly
    verifier = wh.StandardWebhooksVerifier(SIGNING)
    headers = {"webhook-id": "msg_1", "webhook-timestamp": timestamp,
               "webhook-signature": verifier.sign("msg_1", NOW, BODY)}
    with pytest.raises(instantly.WebhookVerificationError) as info:
        verifier.verify(headers, BODY, now=NOW)
    assert info.value.reason in ("missing_timestamp", "stale_timestamp", "future_timestamp")


def test_a_replayed_delivery_is_applied_once(wh):
    tracker = wh.EngagementTracker()
    assert tracker.apply(wh.parse(BODY))
    assert not tracker.apply(wh.parse(BODY))
    assert not tracker.apply(wh.parse(json.dumps(json.loads(BODY), indent=3, sort_keys=True)))
    assert tracker.find("c1", "ANN@cafe.example").reply_count == 1
