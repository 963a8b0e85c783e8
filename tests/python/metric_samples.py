"""Prometheus text, read the way Prometheus reads it (python3-prometheus-client's parser), into
{(sample name, sorted labels): value}: what the metrics tests compare."""
from __future__ import annotations

from typing import Optional

from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, tuple], float]


def samples(text: str) -> Samples:
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(found: Samples, name: str, absent: Optional[float] = None, **labels: str) -> Optional[float]:
    """The sample `name{labels}`, or `absent` when the text has none."""
    return found.get((name, tuple(sorted(labels.items()))), absent)
