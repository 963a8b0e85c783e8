"""scripts/demo's pipeline (examples/python/demo_export.py) at a small scale: 300 synthetic
businesses exported through instantly.compat, sent by the mock, webhooks into the C++ receiver
(when it is built in this preset; otherwise --no-webhooks). The printout must account for every
business and the campaign must hold the uploaded leads."""
from __future__ import annotations

import io
import os
import re
import sys

from conftest import TEST_KEY
from mock_process import BUILD_DIR, ROOT

sys.path.insert(0, os.path.join(ROOT, "examples", "python"))
import demo_export  # noqa: E402
import synthetic_businesses  # noqa: E402

RECEIVER = os.path.join(BUILD_DIR, "examples", "webhook_receiver")
ROW = re.compile(r"^  (businesses|uploaded|duplicates|invalid|failed|accounted for)\s+([\d,]+)", re.M)


def test_synthetic_businesses_are_deterministic_and_counted():
    rows = synthetic_businesses.generate(1000, seed=3)
    assert rows == synthetic_businesses.generate(1000, seed=3)
    assert rows != synthetic_businesses.generate(1000, seed=4)
    assert synthetic_businesses.expected(rows) == {"valid": 980, "duplicates": 10, "invalid": 10}
    assert all(str(r["website"]).endswith(".example.com") for r in rows)
    assert set(rows[0]) == {"name", "email", "category", "city", "state", "rating", "reviews_count", "phone",
                            "website", "address", "icebreaker", "subject_line"}


def test_demo_accounts_for_every_business(mock, client, tmp_path):
    webhooks = os.access(RECEIVER, os.X_OK)
    argv = ["--base-url", mock.url, "--api-key", TEST_KEY, "--businesses", "300", "--seed", "5",
            "--progress", "none", "--db-dir", str(tmp_path), "--flush-timeout", "30"]
    argv += ["--receiver", RECEIVER] if webhooks else ["--no-webhooks"]
    out = io.StringIO()
    assert demo_export.main(argv, out=out) == 0
    text = out.getvalue()

    printed = {name: int(value.replace(",", "")) for name, value in ROW.findall(text)}
    expected = synthetic_businesses.expected(synthetic_businesses.generate(300, seed=5))
    assert printed["businesses"] == 300
    assert printed["accounted for"] == 300, text
    assert printed["uploaded"] == expected["valid"], text
    assert printed["duplicates"] == expected["duplicates"], text
    assert printed["invalid"] == expected["invalid"], text
    assert printed["failed"] == 0, text
    assert re.search(r"Demo finished in [\d.]+ s\.", text)

    campaign_id = re.search(r"Import report \(campaign ([0-9a-f-]+), now active\)", text).group(1)
    assert client.campaigns.get(campaign_id).status == 1  # active
    analytics = client.campaigns.analytics(id=campaign_id)[0]
    assert analytics.leads_count == expected["valid"]
    assert analytics.emails_sent_count == expected["valid"]  # step 1 went to every lead
    if webhooks:
        section = text.split("Engagement, from the receiver's SQLite db")[1].split("Campaign analytics")[0]
        engagement = {name: int(value.replace(",", ""))
                      for name, value in re.findall(r"^  (sent|opened|clicked|replied|bounced|unsubscribed)\s+([\d,]+)$",
                                                    section, re.M)}
        assert engagement["sent"] == expected["valid"], text
        assert 0 < engagement["opened"] < engagement["sent"]
        assert engagement["bounced"] == analytics.bounced_count
        # The receiver's own metrics: every delivery received and stored once, none refused.
        metrics = text.split("The receiver's metrics, from GET ")[1]
        assert re.match(r"http://127\.0\.0\.1:\d+/metrics ", metrics)
        figures = {name: int(value.replace(",", ""))
                   for name, value in re.findall(r"^  (received|stored|duplicated|refused)\s+([\d,]+)$", metrics, re.M)}
        events = int(re.search(r"the receiver stored ([\d,]+)\.", text).group(1).replace(",", ""))
        assert figures == {"received": events, "stored": events, "duplicated": 0, "refused": 0}, metrics
        assert re.search(r"acknowledged\s+half within [\d.]+ ms, 99% within [\d.]+ ms", metrics), metrics


MIGRATE = os.path.join(BUILD_DIR, "examples", "postgres_migrate")


def test_demo_with_postgres_keeps_the_pipeline_in_the_database(mock, client, tmp_path):
    """scripts/demo --postgres: the businesses, every webhook event and the engagement in one
    organisation's rows of a real PostgreSQL, and the export's log beside them. (`client` resets the mock.)"""
    import pytest
    if not (os.access(RECEIVER, os.X_OK) and os.access(MIGRATE, os.X_OK)):
        pytest.skip("this build has no postgres component")
    argv = ["--base-url", mock.url, "--api-key", TEST_KEY, "--businesses", "200", "--seed", "5",
            "--progress", "none", "--db-dir", str(tmp_path), "--flush-timeout", "30", "--receiver", RECEIVER,
            "--postgres", "--postgres-migrate", MIGRATE]
    out = io.StringIO()
    result = demo_export.run(demo_export.parse_args(argv), out=out)
    text = out.getvalue()
    expected = synthetic_businesses.expected(synthetic_businesses.generate(200, seed=5))
    assert ("schema applied by postgres_migrate (0001_pipeline_schema.sql, 0002_row_level_security.sql,"
            " 0003_unparsed_deliveries.sql, 0004_reconcile.sql)") in text
    assert "Loaded them into PostgreSQL: 200 rows of `businesses`" in text
    engagement = result["engagement"]
    assert engagement["sent"] == expected["valid"], text
    assert engagement["events"] == sum(result["simulated"].values())
    assert 0 < engagement["opened"] < engagement["sent"]
    # The fold reached the business rows: one per uploaded lead (a repeated email is one lead, and
    # both businesses with it carry its engagement).
    assert engagement["businesses_reached"] >= expected["valid"]
    assert engagement["export_logs"] == 1
