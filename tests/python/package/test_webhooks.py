"""instantly.webhooks: verifying deliveries, parsing events, tracking engagement, subscribing."""
from __future__ import annotations

import datetime
import email.message
import http.client
import io
import json

import pytest

CAMPAIGN = "8c2b6b7e-1f0a-4d1e-9a55-0c3f2b1a9e01"
WORKSPACE = "0f6a9d2e-7b3c-4c8e-8f11-5d2a6b9c4e77"
SECRET = "s3cr3t-value-0123456789"

# The Standard Webhooks test vector (standardwebhooks.com).
SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SW_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SW_TIMESTAMP = 1614265330
SW_BODY = '{"test": 2432232314}'
SW_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


@pytest.fixture(scope="module")
def wh():
    import instantly.webhooks
    return instantly.webhooks


def payload(event_type, lead="Ada@Example.com", timestamp="2024-05-01T12:00:00.000Z", **fields):
    p = {"timestamp": timestamp, "event_type": event_type, "workspace": WORKSPACE, "campaign_id": CAMPAIGN,
         "campaign_name": "Q2 outreach"}
    if lead is not None:
        p["lead_email"] = lead
    p.update(fields)
    return p


def body(event_type, **kwargs):
    return json.dumps(payload(event_type, **kwargs)).encode()


# ---- the package surface --------------------------------------------------------------------

def test_webhooks_is_a_submodule_of_the_package():
    import instantly
    import instantly.webhooks as imported
    assert instantly.webhooks is imported
    assert "webhooks" in instantly.__all__
    for name in imported.__all__:
        assert hasattr(imported, name), name


# ---- SecretHeaderVerifier -------------------------------------------------------------------

def test_secret_header_accepts_the_secret_and_refuses_others(wh):
    import instantly
    verifier = wh.SecretHeaderVerifier("X-Webhook-Secret", SECRET)
    verifier.verify({"X-Webhook-Secret": SECRET})
    assert verifier.is_valid({"X-Webhook-Secret": SECRET})
    assert verifier.is_valid({"X-Webhook-Secret": f"  {SECRET}\t"})  # surrounding whitespace ignored

    with pytest.raises(instantly.WebhookVerificationError) as wrong:
        verifier.verify({"X-Webhook-Secret": "guess"})
    assert wrong.value.reason == "bad_secret"
    assert not verifier.is_valid({"X-Webhook-Secret": "guess"})
    assert not verifier.is_valid({"X-Webhook-Secret": SECRET + "x"})
    assert not verifier.is_valid({"X-Webhook-Secret": ""})

    with pytest.raises(instantly.WebhookVerificationError) as missing:
        verifier.verify({"Content-Type": "application/json"})
    assert missing.value.reason == "missing_header"
    assert isinstance(missing.value, instantly.Error)
    assert not verifier.is_valid({})


def test_secret_never_appears_in_errors_or_reprs(wh):
    import instantly
    verifier = wh.SecretHeaderVerifier("X-Webhook-Secret", [SECRET, "other-secret-abc"])
    assert SECRET not in repr(verifier) and "other-secret-abc" not in repr(verifier)
    assert "X-Webhook-Secret" in repr(verifier)
    with pytest.raises(instantly.WebhookVerificationError) as info:
        verifier.verify({"X-Webhook-Secret": "almost-" + SECRET})
    e = info.value
    assert SECRET not in str(e) and SECRET not in repr(e)
    assert "almost-" not in str(e)


def test_rotated_secrets_both_accepted(wh):
    verifier = wh.SecretHeaderVerifier("X-Webhook-Secret", ["old-secret", "new-secret"])
    assert verifier.is_valid({"X-Webhook-Secret": "old-secret"})
    assert verifier.is_valid({"X-Webhook-Secret": "new-secret"})
    assert not verifier.is_valid({"X-Webhook-Secret": "older-secret"})
    assert wh.SecretHeaderVerifier("X-Webhook-Secret", ("only-new",)).is_valid({"X-Webhook-Secret": "only-new"})


def test_header_name_is_case_insensitive_and_the_first_counts(wh):
    verifier = wh.SecretHeaderVerifier("X-Webhook-Secret", SECRET)
    assert verifier.header_name == "X-Webhook-Secret"
    assert verifier.is_valid({"x-webhook-secret": SECRET})
    assert verifier.is_valid({"X-WEBHOOK-SECRET": SECRET})
    assert verifier.is_valid([("x-webhook-secret", SECRET), ("X-Webhook-Secret", "other")])
    assert not verifier.is_valid([("x-webhook-secret", "other"), ("X-Webhook-Secret", SECRET)])


def test_bearer_prefix(wh):
    import instantly
    verifier = wh.SecretHeaderVerifier("Authorization", SECRET)
    assert verifier.allows_bearer_prefix
    assert verifier.is_valid({"Authorization": f"Bearer {SECRET}"})
    assert verifier.is_valid({"authorization": f"bearer {SECRET}"})
    assert verifier.is_valid({"Authorization": SECRET})
    assert not verifier.is_valid({"Authorization": "Bearer guess"})

    strict = wh.SecretHeaderVerifier("Authorization", SECRET, allow_bearer_prefix=False)
    assert not strict.allows_bearer_prefix
    assert strict.is_valid({"Authorization": SECRET})
    with pytest.raises(instantly.WebhookVerificationError) as info:
        strict.verify({"Authorization": f"Bearer {SECRET}"})
    assert info.value.reason == "bad_secret"


def test_headers_from_the_standard_library(wh):
    verifier = wh.SecretHeaderVerifier("X-Webhook-Secret", SECRET)
    raw = (f"Content-Type: application/json\r\nx-webhook-secret: {SECRET}\r\n\r\n").encode("latin-1")
    parsed = http.client.parse_headers(io.BytesIO(raw))
    assert isinstance(parsed, http.client.HTTPMessage)
    assert verifier.is_valid(parsed)

    message = email.message.Message()
    message["X-Webhook-Secret"] = SECRET
    assert verifier.is_valid(message)
    message.replace_header("X-Webhook-Secret", "guess")
    assert not verifier.is_valid(message)

    # Any iterable of pairs works, lists of lists too.
    assert verifier.is_valid(iter([["X-Webhook-Secret", SECRET]]))


def test_bad_arguments(wh):
    import instantly
    with pytest.raises(instantly.WebhookVerificationError) as info:
        wh.SecretHeaderVerifier("X-Webhook-Secret", [])
    assert info.value.reason == "invalid_secret"
    with pytest.raises(instantly.WebhookVerificationError):
        wh.SecretHeaderVerifier("", SECRET)
    with pytest.raises(instantly.WebhookVerificationError):
        wh.SecretHeaderVerifier("X-Webhook-Secret", [""])
    verifier = wh.SecretHeaderVerifier("X-Webhook-Secret", SECRET)
    with pytest.raises(TypeError):
        verifier.verify("X-Webhook-Secret: " + SECRET)
    with pytest.raises(TypeError):
        verifier.verify({"X-Webhook-Secret": 42})
    with pytest.raises(TypeError):
        verifier.verify([("X-Webhook-Secret",)])


def test_generate_secret(wh):
    secrets = {wh.generate_secret() for _ in range(20)}
    assert len(secrets) == 20
    for secret in secrets:
        assert len(secret) == 43
        assert all(c.isascii() and (c.isalnum() or c in "-_") for c in secret)


# ---- StandardWebhooksVerifier -----------------------------------------------------------------

def sw_headers(msg_id=SW_ID, timestamp=SW_TIMESTAMP, signature=SW_SIGNATURE):
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp), "webhook-signature": signature}


def test_standard_webhooks_test_vector(wh):
    verifier = wh.StandardWebhooksVerifier(SW_SECRET)
    verifier.verify(sw_headers(), SW_BODY, now=SW_TIMESTAMP)
    verifier.verify(sw_headers(), SW_BODY.encode(), now=SW_TIMESTAMP + 0.5)
    assert verifier.is_valid(sw_headers(), SW_BODY, now=SW_TIMESTAMP)
    assert verifier.sign(SW_ID, SW_TIMESTAMP, SW_BODY) == SW_SIGNATURE
    assert verifier.sign(SW_ID, SW_TIMESTAMP, SW_BODY.encode()) == SW_SIGNATURE
    # Header names in any case; the whsec_ prefix is optional.
    upper = {k.upper(): v for k, v in sw_headers().items()}
    assert wh.StandardWebhooksVerifier(SW_SECRET[len("whsec_"):]).is_valid(upper, SW_BODY, now=SW_TIMESTAMP)
    assert SW_SECRET not in repr(verifier)


def test_standard_webhooks_tolerance_both_directions(wh):
    import instantly
    verifier = wh.StandardWebhooksVerifier([SW_SECRET], tolerance=60)
    assert verifier.tolerance == 60.0
    assert wh.StandardWebhooksVerifier(SW_SECRET).tolerance == 300.0
    assert verifier.is_valid(sw_headers(), SW_BODY, now=SW_TIMESTAMP + 60)
    assert verifier.is_valid(sw_headers(), SW_BODY, now=SW_TIMESTAMP - 60)
    with pytest.raises(instantly.WebhookVerificationError) as stale:
        verifier.verify(sw_headers(), SW_BODY, now=SW_TIMESTAMP + 61)
    assert stale.value.reason == "stale_timestamp"
    with pytest.raises(instantly.WebhookVerificationError) as future:
        verifier.verify(sw_headers(), SW_BODY, now=SW_TIMESTAMP - 61)
    assert future.value.reason == "future_timestamp"
    # Without `now`, the current time: the 2021 vector is far too old.
    with pytest.raises(instantly.WebhookVerificationError) as now:
        verifier.verify(sw_headers(), SW_BODY)
    assert now.value.reason == "stale_timestamp"
    with pytest.raises(instantly.ValidationError):
        wh.StandardWebhooksVerifier(SW_SECRET, tolerance=-1)


def test_standard_webhooks_refuses_tampering(wh):
    import instantly
    verifier = wh.StandardWebhooksVerifier(SW_SECRET)
    with pytest.raises(instantly.WebhookVerificationError) as tampered:
        verifier.verify(sw_headers(), '{"test": 2432232315}', now=SW_TIMESTAMP)
    assert tampered.value.reason == "bad_signature"
    assert SW_SIGNATURE[3:] not in str(tampered.value)
    assert not verifier.is_valid(sw_headers(msg_id="msg_other"), SW_BODY, now=SW_TIMESTAMP)
    assert not verifier.is_valid(sw_headers(timestamp=SW_TIMESTAMP + 1), SW_BODY, now=SW_TIMESTAMP)

    with pytest.raises(instantly.WebhookVerificationError) as missing:
        verifier.verify({"webhook-id": SW_ID, "webhook-timestamp": str(SW_TIMESTAMP)}, SW_BODY, now=SW_TIMESTAMP)
    assert missing.value.reason == "missing_header"
    with pytest.raises(instantly.WebhookVerificationError) as no_time:
        verifier.verify(sw_headers(timestamp="yesterday"), SW_BODY, now=SW_TIMESTAMP)
    assert no_time.value.reason == "missing_timestamp"
    with pytest.raises(instantly.WebhookVerificationError) as malformed:
        verifier.verify(sw_headers(signature="v1,not base64!"), SW_BODY, now=SW_TIMESTAMP)
    assert malformed.value.reason == "malformed_signature"
    other_key = wh.StandardWebhooksVerifier("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=")
    assert not other_key.is_valid(sw_headers(), SW_BODY, now=SW_TIMESTAMP)


def test_standard_webhooks_several_signatures_and_rotation(wh):
    verifier = wh.StandardWebhooksVerifier(SW_SECRET)
    bogus = "v1,Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyMTI="
    several = f"v1a,ignored {bogus} {SW_SIGNATURE}"
    assert verifier.is_valid(sw_headers(signature=several), SW_BODY, now=SW_TIMESTAMP)
    assert not verifier.is_valid(sw_headers(signature=bogus), SW_BODY, now=SW_TIMESTAMP)

    other = "whsec_QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="
    rotating = wh.StandardWebhooksVerifier([other, SW_SECRET])
    assert rotating.is_valid(sw_headers(), SW_BODY, now=SW_TIMESTAMP)


def test_sign_round_trip(wh):
    verifier = wh.StandardWebhooksVerifier(SW_SECRET, tolerance=300)
    data = body("email_sent")
    timestamp = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
    signature = verifier.sign("msg_1", timestamp, data)
    assert signature.startswith("v1,")
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(timestamp), "webhook-signature": signature}
    verifier.verify(headers, data)  # now = the current time
    assert verifier.is_valid(headers, data.decode())
    assert not verifier.is_valid(headers, data + b" ")


def test_verify_function_takes_either_verifier(wh):
    import instantly
    wh.verify(wh.SecretHeaderVerifier("X-Webhook-Secret", SECRET), {"X-Webhook-Secret": SECRET})
    with pytest.raises(instantly.WebhookVerificationError):
        wh.verify(wh.SecretHeaderVerifier("X-Webhook-Secret", SECRET), {"X-Webhook-Secret": "no"}, b"{}")
    data = body("email_opened")
    timestamp = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
    signer = wh.StandardWebhooksVerifier(SW_SECRET)
    headers = {"webhook-id": "msg_2", "webhook-timestamp": str(timestamp),
               "webhook-signature": signer.sign("msg_2", timestamp, data)}
    wh.verify(signer, headers, data)
    with pytest.raises(instantly.WebhookVerificationError):
        wh.verify(signer, headers, b"{}")
    with pytest.raises(TypeError):
        wh.verify(object(), headers, data)  # type: ignore[arg-type]


# ---- parse ------------------------------------------------------------------------------------

def test_parse_a_reply(wh):
    event = wh.parse(body("reply_received", step=2, variant=1, is_first=False, email_id="0190a1b2-reply",
                          email_account="sender@ourco.example", unibox_url="https://app.instantly.ai/u/1",
                          reply_text_snippet="Sounds good", reply_subject="Re: Quick question",
                          reply_text="Sounds good, let's talk.", reply_html="<p>Sounds good</p>",
                          firstName="Ada", score=87))
    assert event.event_type == "reply_received"
    assert event.event_type is wh.EventType.REPLY_RECEIVED
    assert isinstance(event.event_type, str)
    assert event.timestamp == "2024-05-01T12:00:00.000Z"
    assert event.workspace == WORKSPACE
    assert event.campaign_id == CAMPAIGN
    assert event.campaign_name == "Q2 outreach"
    assert event.lead_email == "Ada@Example.com"
    assert event.email_account == "sender@ourco.example"
    assert event.unibox_url == "https://app.instantly.ai/u/1"
    assert (event.step, event.variant, event.is_first) == (2, 1, False)
    assert event.email_id == "0190a1b2-reply"
    assert event.reply_text_snippet == "Sounds good"
    assert event.reply_subject == "Re: Quick question"
    assert event.reply_text == "Sounds good, let's talk."
    assert event.reply_html == "<p>Sounds good</p>"
    assert event.email_subject is None and event.email_text is None and event.email_html is None
    assert event.extra == {"firstName": "Ada", "score": 87}
    # A short repr: no bodies.
    text = repr(event)
    assert "reply_received" in text and CAMPAIGN in text and "Ada@Example.com" in text
    assert "Sounds good" not in text


def test_parse_sent_link_clicked_and_custom_label(wh):
    sent = wh.parse(body("email_sent", email_subject="Quick question", email_text="Hi Ada",
                         email_html="<p>Hi Ada</p>", step=1, variant=2.0))
    assert sent.event_type is wh.EventType.EMAIL_SENT
    assert (sent.email_subject, sent.email_text, sent.email_html) == ("Quick question", "Hi Ada", "<p>Hi Ada</p>")
    assert sent.variant == 2 and isinstance(sent.variant, int)
    assert sent.reply_text is None and sent.is_first is None and sent.extra == {}

    clicked = wh.parse(body("link_clicked"))
    assert clicked.event_type == wh.EventType.LINK_CLICKED == "link_clicked"
    assert clicked.event_type.is_known and not clicked.event_type.is_lead_status
    assert clicked.event_type.subscription_type == "email_link_clicked"

    custom = wh.parse(body("Hot Prospect"))
    assert custom.event_type == "Hot Prospect"
    assert isinstance(custom.event_type, wh.EventType)
    assert not custom.event_type.is_known
    assert custom.event_type.is_lead_status
    assert custom.event_type.subscription_type is wh.EventType.ALL_EVENTS

    completed = wh.parse(body("campaign_completed", lead=None))
    assert completed.lead_email is None


def test_known_fields_sent_as_null_read_as_absent(wh):
    event = wh.parse(json.dumps(payload("email_opened", email_account=None, step=None, campaign_name=None)))
    assert event.email_account is None and event.step is None
    assert event.campaign_name == ""


def test_parse_errors_are_decode_errors(wh):
    import instantly
    bad = [b"", b"not json", b"[1, 2]", b'{"event_type": 3}', b'{"timestamp": "x"}', b"\xff\xfe{}",
           json.dumps(payload("email_sent", step="one")).encode(),
           json.dumps(payload("email_sent", step=1.5)).encode()]
    for data in bad:
        with pytest.raises(instantly.DecodeError):
            wh.parse(data)
    with pytest.raises(instantly.DecodeError) as utf8:
        wh.parse(b'{"event_type": "email_sent", "x": "\xc3\x28"}')
    assert "UTF-8" in str(utf8.value)
    big = body("email_sent", email_html="x" * 2000)
    wh.parse(big, max_body_bytes=len(big))
    with pytest.raises(instantly.DecodeError):
        wh.parse(big, max_body_bytes=len(big) - 1)
    with pytest.raises(instantly.DecodeError):
        wh.parse(b" " * ((1 << 20) + 1))
    # Never quotes the body.
    with pytest.raises(instantly.DecodeError) as info:
        wh.parse(b'{"event_type": "email_sent", "secret-ish": ')
    assert "secret-ish" not in str(info.value)


def test_dedupe_key(wh):
    p = payload("reply_received", email_id="e1", step=1, variant=1, firstName="Ada")
    reordered = dict(reversed(list(p.items())))
    key = wh.parse(json.dumps(p)).dedupe_key()
    assert len(key) == 64 and all(c in "0123456789abcdef" for c in key)
    assert wh.parse(json.dumps(reordered, indent=2)).dedupe_key() == key
    assert wh.parse(json.dumps({**p, "firstName": "Other"})).dedupe_key() == key  # extra plays no part
    assert wh.parse(json.dumps({**p, "lead_email": "ADA@example.com"})).dedupe_key() == key
    assert wh.parse(json.dumps({**p, "timestamp": "2024-05-01T12:00:01.000Z"})).dedupe_key() != key
    assert wh.parse(json.dumps({**p, "event_type": "auto_reply_received"})).dedupe_key() != key
    assert wh.parse(json.dumps({**p, "lead_email": "bob@example.com"})).dedupe_key() != key
    assert wh.parse(json.dumps({**p, "step": 2})).dedupe_key() != key


def test_to_dict_round_trip_and_equality(wh):
    data = body("email_sent", step=1, variant=2, is_first=True, email_id="x", firstName="Ada",
                nested={"a": [1, 2, {"b": None}]})
    event = wh.parse(data)
    d = event.to_dict()
    assert d == json.loads(data)
    assert list(d)[:5] == ["event_type", "timestamp", "workspace", "campaign_id", "campaign_name"]
    assert json.loads(event.to_json()) == d
    again = wh.parse(event.to_json())
    assert again == event and not (again != event)
    assert hash(again) == hash(event)
    assert wh.parse(json.dumps(d)) == event
    assert wh.parse(body("email_sent", step=1, variant=2, is_first=True, email_id="x", firstName="Eve")) != event
    assert event != d  # an event is not its dict
    assert len({event, again}) == 1


def test_time(wh):
    utc = datetime.timezone.utc
    event = wh.parse(body("email_opened", timestamp="2024-05-01T12:00:00.250Z"))
    assert event.time() == datetime.datetime(2024, 5, 1, 12, 0, 0, 250000, tzinfo=utc)
    assert event.time().tzinfo is not None
    offset = wh.parse(body("email_opened", timestamp="2024-05-01T14:00:00+02:00"))
    assert offset.time() == datetime.datetime(2024, 5, 1, 12, 0, tzinfo=utc)
    assert wh.parse(body("email_opened", timestamp="last tuesday")).time() is None


def test_event_type(wh):
    T = wh.EventType
    assert T.EMAIL_SENT == "email_sent" and isinstance(T.EMAIL_SENT, str)
    assert T("email_sent") is T.EMAIL_SENT
    assert T.AUTO_REPLY_RECEIVED == "auto_reply_received" and T.ALL_EVENTS == "all_events"
    assert T.SUPERSEARCH_ENRICHMENT_COMPLETED == "supersearch_enrichment_completed"
    types = T.subscription_types()
    assert len(types) == 19 and types[0] is T.ALL_EVENTS and T.LINK_CLICKED not in types
    assert all(t.is_known and t.subscription_type is t for t in types)
    assert T.AUTO_REPLY_RECEIVED.subscription_type is T.ALL_EVENTS
    assert T.LINK_CLICKED.subscription_type is T.EMAIL_LINK_CLICKED
    statuses = [t for t in types if t.is_lead_status]
    assert statuses == [T.LEAD_NEUTRAL, T.LEAD_INTERESTED, T.LEAD_NOT_INTERESTED, T.LEAD_MEETING_BOOKED,
                        T.LEAD_MEETING_COMPLETED, T.LEAD_CLOSED, T.LEAD_OUT_OF_OFFICE, T.LEAD_WRONG_PERSON,
                        T.LEAD_NO_SHOW]
    label = T("My Label")
    assert label == "My Label" and str(label) == "My Label" and not label.is_known and label.is_lead_status
    assert repr(T.EMAIL_OPENED) == "EventType('email_opened')"
    assert json.dumps({"t": T.EMAIL_SENT}) == '{"t": "email_sent"}'
    # The generated subscription enum and this one agree.
    from instantly.types import WebhookEventType
    assert [t.value for t in WebhookEventType] == [t.value for t in types]
    assert T(WebhookEventType.EMAIL_BOUNCED) is T.EMAIL_BOUNCED


# ---- EngagementTracker ------------------------------------------------------------------------

def lead_events(wh):
    return [
        wh.parse(body("email_sent", timestamp="2024-05-01T10:00:00.000Z", step=1, email_id="sent-1")),
        wh.parse(body("email_opened", timestamp="2024-05-01T11:00:00.000Z", step=1)),
        wh.parse(body("reply_received", timestamp="2024-05-01T12:00:00.000Z", email_id="reply-1")),
        wh.parse(body("reply_received", timestamp="2024-05-02T09:00:00.000Z", email_id="reply-2")),
        wh.parse(body("lead_interested", timestamp="2024-05-02T10:00:00.000Z")),
        wh.parse(body("lead_meeting_booked", timestamp="2024-05-03T10:00:00.000Z")),
        wh.parse(body("campaign_completed", lead=None, timestamp="2024-05-04T10:00:00.000Z")),
    ]


def test_tracker_folds_events(wh):
    tracker = wh.EngagementTracker()
    results = [tracker.apply(e) for e in lead_events(wh)]
    assert results == [True] * 6 + [False]  # campaign_completed concerns no lead
    assert len(tracker) == 1 and tracker.applied == 6
    lead = tracker.find(CAMPAIGN, "ADA@example.COM")
    assert lead is not None
    assert lead.campaign_id == CAMPAIGN and lead.lead_email == "ada@example.com"
    assert lead.email_sent_at == "2024-05-01T10:00:00.000Z"
    assert lead.email_opened_at == "2024-05-01T11:00:00.000Z"
    assert lead.email_replied_at == "2024-05-01T12:00:00.000Z"
    assert lead.email_clicked_at is None and lead.email_bounced_at is None and lead.unsubscribed_at is None
    assert lead.reply_count == 2
    assert lead.email_status == "replied"
    assert (lead.interest, lead.interest_at) == ("lead_meeting_booked", "2024-05-03T10:00:00.000Z")
    assert tracker.leads() == [lead]
    assert tracker.find(CAMPAIGN, "bob@example.com") is None
    assert tracker.find("other-campaign", "ada@example.com") is None
    assert "replied" in repr(lead)


def test_tracker_duplicates_are_idempotent(wh):
    events = lead_events(wh)
    once = wh.EngagementTracker()
    for e in events:
        once.apply(e)
    twice = wh.EngagementTracker()
    for e in events + events:
        twice.apply(e)
    # A retry arrives as a new parse of the same bytes.
    assert not twice.apply(wh.parse(events[2].to_json()))
    assert twice.leads() == once.leads()
    assert twice.applied == once.applied == 6
    assert twice.find(CAMPAIGN, "ada@example.com").reply_count == 2


def test_tracker_order_does_not_matter(wh):
    events = lead_events(wh)
    forward, backward, shuffled = wh.EngagementTracker(), wh.EngagementTracker(), wh.EngagementTracker()
    for e in events:
        forward.apply(e)
    for e in reversed(events):
        backward.apply(e)
    for e in events[3::2] + events[::2] + events[1::2]:
        shuffled.apply(e)
    assert forward.leads() == backward.leads() == shuffled.leads()
    assert backward.find(CAMPAIGN, "ada@example.com").interest == "lead_meeting_booked"


def test_tracker_terminal_states_win(wh):
    tracker = wh.EngagementTracker()
    tracker.apply(wh.parse(body("email_bounced", timestamp="2024-05-01T10:00:00.000Z")))
    tracker.apply(wh.parse(body("email_opened", timestamp="2024-05-01T11:00:00.000Z")))
    assert tracker.find(CAMPAIGN, "ada@example.com").email_status == "bounced"


def test_apply_folds_stored_rows_one_event_at_a_time(wh):
    events = lead_events(wh)
    full = wh.EngagementTracker()
    for e in events:
        full.apply(e)
    stored = full.find(CAMPAIGN, "ada@example.com").to_dict()
    assert stored["reply_count"] == 2 and stored["email_status"] == "replied"

    # A store folds one lead at a time: load the row, apply a new event, write it back.
    row = None
    for e in events:
        row = wh.apply(row, e) or row  # None: not this lead's event, the row stays
    assert row == full.find(CAMPAIGN, "ada@example.com")
    after = wh.apply(stored, wh.parse(body("lead_unsubscribed", timestamp="2024-05-05T10:00:00.000Z")))
    assert after.email_status == "unsubscribed" and after.unsubscribed_at == "2024-05-05T10:00:00.000Z"
    assert after.reply_count == 2
    assert stored["email_status"] == "replied"  # pure: the stored row is not changed

    # Another lead's or another campaign's event does not apply to this row; no lead at all neither.
    assert wh.apply(after, wh.parse(body("email_opened", lead="grace@example.com"))) is None
    assert wh.apply(after, wh.parse(body("campaign_completed", lead=None))) is None

    row = wh.LeadEngagement(campaign_id=CAMPAIGN, lead_email="Ada@Example.com",
                            email_opened_at="2024-05-01T00:00:00Z", reply_count=0)
    assert row.lead_email == "Ada@Example.com" and row.email_sent_at is None
    assert row == wh.LeadEngagement(**row.to_dict()) and row != after
    applied = wh.apply(row, wh.parse(body("email_sent", timestamp="2024-04-30T09:00:00Z")))
    assert applied.email_status == "opened"  # recomputed from the columns
    assert wh.lead_key("  Ada@Example.COM ") == "ada@example.com"
    with pytest.raises(TypeError):
        wh.apply(42, events[0])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        wh.LeadEngagement(lead_email="x@example.com")  # type: ignore[call-arg]


# ---- subscribe --------------------------------------------------------------------------------

def test_subscribe_creates_a_secret_header_subscription(client, wh):
    sub = wh.subscribe(client, target_url="http://127.0.0.1:9/webhook/instantly")
    assert len(sub.secret) == 43
    assert sub.webhook.id
    assert sub.webhook.target_hook_url == "http://127.0.0.1:9/webhook/instantly"
    assert sub.webhook.event_type == "all_events"
    assert sub.webhook.headers == {"X-Webhook-Secret": sub.secret}
    stored = client.webhooks.get(sub.webhook.id)
    assert stored.headers == {"X-Webhook-Secret": sub.secret}
    # The verifier accepts exactly the header Instantly will send.
    name, value = next(iter(stored.headers.items()))
    assert sub.verifier.is_valid({name: value})
    assert sub.verifier.is_valid({name.lower(): value})
    assert not sub.verifier.is_valid({name: "Bearer " + value})
    assert not sub.verifier.is_valid({name: wh.generate_secret()})
    assert sub.secret not in repr(sub)
    assert not wh.is_disabled(sub.webhook)
    other = wh.subscribe(client, target_url="http://127.0.0.1:9/other")
    assert other.secret != sub.secret
    assert not other.verifier.is_valid({name: value})


def test_subscribe_with_bearer_campaign_and_own_secret(client, campaign, wh):
    sub = wh.subscribe(client, target_url="http://127.0.0.1:9/h", event_type=wh.EventType.REPLY_RECEIVED,
                       campaign=campaign.id, name="replies", header_name="Authorization", bearer=True,
                       secret="my-vault-secret")
    assert sub.secret == "my-vault-secret"
    assert sub.webhook.headers == {"Authorization": "Bearer my-vault-secret"}
    assert sub.webhook.campaign == campaign.id and sub.webhook.name == "replies"
    assert sub.webhook.event_type == "reply_received"
    assert sub.verifier.header_name == "Authorization" and sub.verifier.allows_bearer_prefix
    assert sub.verifier.is_valid({"authorization": "Bearer my-vault-secret"})
    assert "my-vault-secret" not in repr(sub)


def test_subscribe_validates_before_sending(client, wh):
    import instantly
    before = len(list(client.webhooks.list()))
    with pytest.raises(instantly.ValidationError):
        wh.subscribe(client, target_url="")
    with pytest.raises(instantly.ValidationError):
        wh.subscribe(client, target_url="http://127.0.0.1:9/h", header_name="")
    assert len(list(client.webhooks.list())) == before


def test_is_disabled(wh):
    from instantly.types import Webhook
    base = {"id": "wh-1", "organization": "o", "target_hook_url": "https://x", "timestamp_created": "t"}
    assert wh.is_disabled(Webhook.from_dict({**base, "status": -1}))
    assert not wh.is_disabled(Webhook.from_dict({**base, "status": 1}))
    assert not wh.is_disabled(Webhook.from_dict(base))
