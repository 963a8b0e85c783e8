"""The demo's look at a receiver's GET /metrics: a scrape of the Prometheus text, and the figures
an operator reads first (deliveries by outcome, acknowledgement time). Standard library only, so
the demo needs no prometheus_client; the names are those of docs/observability.md."""
from __future__ import annotations

import re
import urllib.request
from typing import Dict, Optional, Tuple

Samples = Dict[Tuple[str, str], float]  # (name, labels as written) -> value

_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)")


def scrape(metrics_url: str, timeout: float = 10) -> Samples:
    with urllib.request.urlopen(metrics_url, timeout=timeout) as answer:
        text = answer.read().decode("utf-8")
    samples: Samples = {}
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match and not line.startswith("#"):
            samples[(match.group(1), match.group(2) or "")] = float(match.group(3))
    return samples


def _bucket_bound(labels: str) -> Optional[float]:
    match = re.search(r'le="([^"]+)"', labels)
    return float(match.group(1)) if match else None


def ack_quantile(samples: Samples, q: float) -> Optional[float]:
    """The upper bound of the bucket that holds the q-quantile of acknowledgement times (seconds),
    None without deliveries or when it lies past the last finite bucket."""
    buckets = sorted((bound, count) for (name, labels), count in samples.items()
                     if name == "instantly_webhook_ack_seconds_bucket"
                     and (bound := _bucket_bound(labels)) is not None)
    total = samples.get(("instantly_webhook_ack_seconds_count", ""), 0)
    if total == 0:
        return None
    for bound, count in buckets:
        if count >= q * total:
            return bound if bound != float("inf") else None
    return None


def summary(samples: Samples) -> Dict[str, object]:
    refused = sum(value for (name, _), value in samples.items() if name == "instantly_webhook_events_refused_total")
    return {
        "received": int(samples.get(("instantly_webhook_events_received_total", ""), 0)),
        "stored": int(samples.get(("instantly_webhook_events_stored_total", ""), 0)),
        "duplicated": int(samples.get(("instantly_webhook_events_duplicated_total", ""), 0)),
        "refused": int(refused),
        "ack_p50_s": ack_quantile(samples, 0.5),
        "ack_p99_s": ack_quantile(samples, 0.99),
    }
