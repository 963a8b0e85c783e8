"""Per-delivery webhook work from Python: `instantly.webhooks` (the C++ core) against the same
work in pure Python (hmac.compare_digest, hmac/hashlib/base64, json.loads, a sha256 dedupe key),
with the C++ numbers of bench/webhook_verify_parse alongside. Ratios are against pure Python,
measured in this same process.

    PYTHONPATH=build/release/python /usr/bin/python3 bench/webhook_verify_parse.py \
        [build/release/bench/webhook_verify_parse] [--seconds 0.4]

With the C++ binary given, its payload is used here too, so all three parse the same bytes.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import subprocess
import sys
import time

SECRET = "bench-secret-0123456789abcdefghijklmnopqrstuv"
SIGNING_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MSG_ID = "msg_2fS8kQ1xYb7Lm3Nw"
FALLBACK_PAYLOAD = {  # used only without the C++ binary; it sends its own (~1.2 KiB)
    "timestamp": "2024-05-01T14:03:27.512Z", "event_type": "reply_received",
    "workspace": "3f1b2c4d-9a8e-4f70-b1c2-5d6e7f809a1b", "campaign_id": "0b6e4f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b",
    "campaign_name": "Austin dentists - May outreach", "lead_email": "owner.jordan@brightsmile-dental.example.com",
    "email_account": "alex@outreach-mail.example.net", "step": 2, "variant": 1, "is_first": True,
    "email_id": "0190f7a2-6b1c-7d3e-9f40-1a2b3c4d5e6f", "reply_subject": "Re: Quick question about your reviews",
    "reply_text": "Hi Alex,\n\nThanks for reaching out - we are interested, can you send pricing? " * 4,
    "firstName": "Jordan", "lastName": "Reyes", "companyName": "Bright Smile Dental", "city": "Austin"}


def measure(fn, seconds: float) -> float:
    """Operations per second of fn(), run in batches until `seconds` have passed."""
    for _ in range(50):
        fn()
    ops, start = 0, time.perf_counter()
    while True:
        for _ in range(100):
            fn()
        ops += 100
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return ops / elapsed


# ---- pure Python: what a receiver writes without the SDK -------------------------------------

def py_secret_verify(headers: dict) -> None:
    value = next((v for k, v in headers.items() if k.lower() == "x-webhook-secret"), None)
    if value is None or not hmac.compare_digest(value.strip().encode(), SECRET.encode()):
        raise ValueError("bad secret")


KEY = base64.b64decode(SIGNING_SECRET.removeprefix("whsec_"))


def py_sign(msg_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(KEY, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def py_standard_verify(headers: dict, body: bytes) -> None:
    msg_id, stamp, signatures = headers["webhook-id"], headers["webhook-timestamp"], headers["webhook-signature"]
    if abs(time.time() - int(stamp)) > 300:
        raise ValueError("stale")
    expected = hmac.new(KEY, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    for signature in signatures.split():
        version, _, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(base64.b64decode(value), expected):
            return
    raise ValueError("bad signature")


DEDUPE_FIELDS = ("event_type", "timestamp", "workspace", "campaign_id", "lead_email", "email_account", "email_id",
                 "step", "variant")


def py_parse_dedupe(body: bytes) -> str:
    """json.loads + a sha256 over the same fields as Event::dedupe_key, length-prefixed."""
    event = json.loads(body)
    if not isinstance(event, dict) or not isinstance(event.get("event_type"), str):
        raise ValueError("not an event")
    digest = hashlib.sha256(b"instantly-webhook-dedupe-v1")
    for name in DEDUPE_FIELDS:
        value = event.get(name)
        if value is None:
            digest.update(b"-")
            continue
        text = str(value).lower() if name in ("lead_email", "email_account") else str(value)
        data = text.encode()
        digest.update(b"%d:" % len(data) + data)
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cpp_binary", nargs="?", help="build/<preset>/bench/webhook_verify_parse")
    parser.add_argument("--seconds", type=float, default=0.4, help="per case")
    args = parser.parse_args()

    cpp = {}
    body = json.dumps(FALLBACK_PAYLOAD, separators=(",", ":")).encode()
    if args.cpp_binary:
        out = json.loads(subprocess.run([args.cpp_binary, "--json", "--seconds", str(args.seconds)], check=True,
                                        capture_output=True, text=True).stdout)
        cpp = {name: r["ops_per_s"] for name, r in out["results"].items()}
        body = out["payload"].encode()

    timestamp = int(time.time())
    secret_headers = {"Host": "hooks.example.com", "User-Agent": "Instantly-Webhooks/1.0",
                      "Content-Type": "application/json", "X-Webhook-Secret": SECRET}
    signed_headers = {"Content-Type": "application/json", "webhook-id": MSG_ID,
                      "webhook-timestamp": str(timestamp), "webhook-signature": py_sign(MSG_ID, timestamp, body)}

    def py_secret_all():
        py_secret_verify(secret_headers)
        py_parse_dedupe(body)

    def py_standard_all():
        py_standard_verify(signed_headers, body)
        py_parse_dedupe(body)

    # (case, pure Python fn, C++ case name)
    cases = [("json parse only", lambda: json.loads(body), "json_parse"),
             ("parse + dedupe_key", lambda: py_parse_dedupe(body), "parse_event+dedupe_key"),
             ("secret header verify", lambda: py_secret_verify(secret_headers), "secret_header_verify"),
             ("secret header + parse + dedupe", py_secret_all, "secret_header+parse+dedupe"),
             ("Standard Webhooks verify", lambda: py_standard_verify(signed_headers, body), "standard_webhooks_verify"),
             ("Standard Webhooks + parse + dedupe", py_standard_all, "standard_webhooks+parse+dedupe")]

    sdk = {}
    try:
        from instantly import webhooks

        verifier = webhooks.SecretHeaderVerifier("X-Webhook-Secret", [SECRET])
        signer = webhooks.StandardWebhooksVerifier([SIGNING_SECRET])
        # The same work on both sides: the SDK must produce the signature pure Python checks.
        assert signer.sign(MSG_ID, timestamp, body) == signed_headers["webhook-signature"], "signatures differ"
        signer.verify(signed_headers, body)
        verifier.verify(secret_headers)

        def sdk_secret_all():
            verifier.verify(secret_headers)
            webhooks.parse(body).dedupe_key()

        def sdk_standard_all():
            signer.verify(signed_headers, body)
            webhooks.parse(body).dedupe_key()

        sdk = {"parse + dedupe_key": lambda: webhooks.parse(body).dedupe_key(),
               "secret header verify": lambda: verifier.verify(secret_headers),
               "secret header + parse + dedupe": sdk_secret_all,
               "Standard Webhooks verify": lambda: signer.verify(signed_headers, body),
               "Standard Webhooks + parse + dedupe": sdk_standard_all}
    except ImportError as e:
        print(f"instantly.webhooks not importable ({e}); its column shows n/a")

    print(f"webhook verify+parse from Python {sys.version.split()[0]}, {len(body)}-byte payload, "
          f"{args.seconds:.1f} s per case (x = ops/s relative to pure Python)")
    print(f"  {'case':36} {'pure Python':>12} {'instantly.webhooks':>24} {'C++ (no Python)':>24}")
    for name, py_fn, cpp_name in cases:
        base = measure(py_fn, args.seconds)
        sdk_cell = "n/a"
        if name in sdk:
            rate = measure(sdk[name], args.seconds)
            sdk_cell = f"{rate:10.0f} ({rate / base:5.2f}x)"
        cpp_cell = f"{cpp[cpp_name]:10.0f} ({cpp[cpp_name] / base:5.2f}x)" if cpp_name in cpp else "n/a"
        print(f"  {name:36} {base:10.0f}/s {sdk_cell:>24} {cpp_cell:>24}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
