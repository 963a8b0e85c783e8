"""instantly.metrics.PrometheusMetrics: what a real client's calls against instantly-mock count
(requests by status, retries, 429s, calls, failures, workflow runs), the receiver's and the
workflows' methods, and render() as the text format Prometheus parses."""
from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from conftest import PYTHON_DIR, SCHEDULE, TEST_KEY

import metric_samples  # tests/python, on the path once conftest ran
import prometheus_client  # scripts/setup installs it (python3-prometheus-client)
from metric_samples import Samples, samples

import instantly
from instantly.metrics import PrometheusMetrics


def rendered(metrics: PrometheusMetrics) -> Samples:
    """render()'s text, as Prometheus would read it."""
    return samples(metrics.render().decode("utf-8"))


def value(found: Samples, name: str, **labels: str) -> float:
    """A sample, 0 when absent (a counter nothing touched yet)."""
    return metric_samples.value(found, name, absent=0.0, **labels)


def test_a_429_then_success_counts_two_requests_a_retry_and_one_call(mock):
    mock.request("POST", "/__mock/reset", {})
    mock.request("POST", "/__mock/responses",
                 {"status": 429, "headers": {"Retry-After": "0"}, "path": "/api/v2/campaigns", "times": 1})
    metrics = PrometheusMetrics()
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, max_retries=2, observer=metrics) as client:
        client.campaigns.create(name="Cafes Austin", campaign_schedule=SCHEDULE)
        with pytest.raises(instantly.NotFoundError):
            client.campaigns.get("019a0000-0000-7000-8000-00000000abcd")

    found = rendered(metrics)
    create = {"operation": "createCampaign"}
    assert value(found, "instantly_requests_total", method="POST", status="429", **create) == 1
    assert value(found, "instantly_requests_total", method="POST", status="200", **create) == 1
    assert value(found, "instantly_retries_total", reason="rate_limited", **create) == 1
    assert value(found, "instantly_rate_limited_total", **create) == 1
    assert value(found, "instantly_calls_total", outcome="succeeded", **create) == 1
    assert value(found, "instantly_request_duration_seconds_count", **create) == 2
    assert value(found, "instantly_call_duration_seconds_count", **create) == 1
    assert value(found, "instantly_request_duration_seconds_bucket", le="+Inf", **create) == 2

    get = {"operation": "getCampaign"}
    assert value(found, "instantly_requests_total", method="GET", status="404", **get) == 1
    assert value(found, "instantly_calls_total", outcome="failed", **get) == 1
    assert value(found, "instantly_call_failures_total", error_type="NotFoundError", **get) == 1
    assert value(found, "instantly_rate_limited_total", **get) == 0
    assert TEST_KEY.encode() not in metrics.render()


def test_a_request_that_got_no_answer_is_labelled_by_its_failure():
    with socket.socket() as listener:  # a port nobody listens on once this closes
        listener.bind(("127.0.0.1", 0))
        port = listener.getsockname()[1]
    metrics = PrometheusMetrics()
    with instantly.Client(api_key=TEST_KEY, base_url=f"http://127.0.0.1:{port}", max_retries=0,
                          observer=metrics) as client:
        with pytest.raises(instantly.ApiConnectionError):
            client.campaigns.list(limit=1)
    found = rendered(metrics)
    assert value(found, "instantly_requests_total", operation="listCampaign", method="GET",
                 status="connection_failed") == 1
    assert value(found, "instantly_call_failures_total", operation="listCampaign",
                 error_type="ApiConnectionError") == 1


def test_an_observed_sync_run_sets_the_sync_metrics(mock):
    mock.request("POST", "/__mock/reset", {})
    metrics = PrometheusMetrics()
    assert b"instantly_analytics_sync" not in metrics.render()  # no "last success: 1970" before a run
    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, observer=metrics) as client:
        for name in ("Cafes Austin", "Bakeries Boston", "Florists Denver"):
            client.campaigns.create(name=name, campaign_schedule=SCHEDULE)
        instantly.workflows.AnalyticsSync(client).sync()
    found = rendered(metrics)
    assert value(found, "instantly_analytics_sync_runs_total", outcome="finished") == 1
    assert value(found, "instantly_analytics_sync_runs_total", outcome="failed") == 0
    assert value(found, "instantly_analytics_sync_campaigns") == 3
    assert value(found, "instantly_analytics_sync_last_success_timestamp_seconds") > 1.7e9
    assert value(found, "instantly_workflow_events_total", workflow="analytics_sync", action="run_finished") == 1
    assert value(found, "instantly_workflow_items_total", workflow="analytics_sync", action="run_finished") == 3


def test_webhook_methods_count_and_refuse_unknown_reasons():
    metrics = PrometheusMetrics()
    for _ in range(3):
        metrics.webhook_received()
    metrics.webhook_stored()
    metrics.webhook_duplicated()
    metrics.webhook_refused("unauthorized")
    metrics.webhook_acknowledged(0.003)
    metrics.set_webhook_queue_depth(7)
    metrics.set_webhook_unapplied_events(5)
    metrics.set_webhook_ready(False)
    with pytest.raises(ValueError, match="bad_secret"):
        metrics.webhook_refused("bad_secret")  # a label takes a fixed set of values
    found = rendered(metrics)
    assert value(found, "instantly_webhook_events_received_total") == 3
    assert value(found, "instantly_webhook_events_stored_total") == 1
    assert value(found, "instantly_webhook_events_duplicated_total") == 1
    assert value(found, "instantly_webhook_events_refused_total", reason="unauthorized") == 1
    assert ("instantly_webhook_events_refused_total", (("reason", "too_large"),)) in found  # 0, but there
    assert value(found, "instantly_webhook_ack_seconds_bucket", le="0.0025") == 0
    assert value(found, "instantly_webhook_ack_seconds_bucket", le="0.005") == 1
    assert value(found, "instantly_webhook_queue_depth") == 7
    assert value(found, "instantly_webhook_unapplied_events") == 5
    assert value(found, "instantly_webhook_ready") == 0


def test_account_health_sets_every_verdict():
    from instantly.workflows import HealthLevel
    metrics = PrometheusMetrics()
    metrics.account_health_checked([HealthLevel.OK, HealthLevel.OK, HealthLevel.CRITICAL])
    found = rendered(metrics)
    assert value(found, "instantly_account_health_accounts", verdict="ok") == 2
    assert value(found, "instantly_account_health_accounts", verdict="critical") == 1
    assert ("instantly_account_health_accounts", (("verdict", "warning"),)) in found
    assert value(found, "instantly_account_health_last_check_timestamp_seconds") > 1.7e9
    with pytest.raises(ValueError):
        metrics.account_health_checked(["fine"])


def test_each_object_has_its_own_registry_unless_given_one():
    PrometheusMetrics()
    PrometheusMetrics()  # no clash: separate registries
    shared = prometheus_client.CollectorRegistry()
    metrics = PrometheusMetrics(registry=shared)
    assert metrics.registry is shared
    with pytest.raises(ValueError):
        PrometheusMetrics(registry=shared)


def test_import_instantly_works_without_prometheus_client():
    code = """
import sys
sys.modules["prometheus_client"] = None   # as if it were not installed
import instantly
instantly.Client(api_key="k", base_url="http://127.0.0.1:9")
try:
    import instantly.metrics
except ImportError as e:
    print(e)
"""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if PYTHON_DIR:
        env["PYTHONPATH"] = PYTHON_DIR
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "python3-prometheus-client" in result.stdout
