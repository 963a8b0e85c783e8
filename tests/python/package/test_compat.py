"""`instantly.compat.InstantlyClient`: the drop-in for the old pipeline's instantly_client.py,
against the mock, with the reference pairs in tests/fixtures."""
from __future__ import annotations

import pytest

from conftest import TEST_KEY, load_fixture


@pytest.fixture
def compat(client):
    from instantly.compat import InstantlyClient
    return InstantlyClient(client=client)


def business(i: int, **overrides) -> dict:
    row = {"name": f"Cafe {i:05d}", "email": f"owner{i:05d}@cafe{i:05d}.example.com", "category": "cafe",
           "city": "Austin", "state": "TX", "rating": 4.5, "reviews_count": i % 300,
           "icebreaker": f"Loved the reviews of Cafe {i:05d}", "subject_line": f"Quick Q for Cafe {i:05d}"}
    row.update(overrides)
    return row


def mock_state(mock) -> dict:
    status, state, _ = mock.request("GET", "/__mock/state")
    assert status == 200, state
    return state


# ---- the client ------------------------------------------------------------------------------

def test_key_from_argument_or_environment_and_never_in_repr(mock, monkeypatch):
    import instantly
    from instantly.compat import InstantlyClient
    with InstantlyClient(TEST_KEY, mock.url) as c:
        assert TEST_KEY not in repr(c) and TEST_KEY not in str(c)
        assert c.base_url == mock.url
        assert c.create_campaign("By argument")["id"]
    monkeypatch.setenv("INSTANTLY_API_KEY", TEST_KEY)
    with InstantlyClient(base_url=mock.url, timeout=5) as c:
        assert TEST_KEY not in repr(c)
        assert c.create_campaign("From the environment")["id"]
    monkeypatch.delenv("INSTANTLY_API_KEY")
    with pytest.raises(instantly.ValidationError):
        InstantlyClient(base_url=mock.url)


def test_wraps_an_existing_client_without_closing_it(client):
    from instantly.compat import InstantlyClient
    with InstantlyClient(client=client) as c:
        assert c.client is client
    assert client.campaigns.list(limit=1) is not None  # still usable after the wrapper closed


# ---- create_campaign -------------------------------------------------------------------------

def test_create_campaign_sends_the_old_fixture_schedule_in_the_v2_shape(compat, client, mock):
    pair = load_fixture("old-campaign-request.json")
    old, v2 = pair["old_request"], pair["v2_request"]
    created = compat.create_campaign(old["name"], old["campaign_schedule"])
    assert isinstance(created, dict) and created["name"] == v2["name"]
    assert client.campaigns.get(created["id"]).campaign_schedule.to_dict() == v2["campaign_schedule"]
    # What the mock stored is what was sent: exactly the v2 body's schedule.
    stored = {c["id"]: c for c in mock_state(mock)["collections"]["campaigns"]}
    assert stored[created["id"]]["campaign_schedule"] == v2["campaign_schedule"]
    # The whole old request body works as the schedule too, and a v2 schedule passes unchanged.
    again = compat.create_campaign(old["name"], old)
    assert client.campaigns.get(again["id"]).campaign_schedule.to_dict() == v2["campaign_schedule"]
    same = compat.create_campaign(v2["name"], v2["campaign_schedule"])
    assert client.campaigns.get(same["id"]).campaign_schedule.to_dict() == v2["campaign_schedule"]


def test_create_campaign_defaults_and_shorthand_schedules(compat, client):
    from instantly.compat import DEFAULT_SCHEDULE
    plain = client.campaigns.get(compat.create_campaign("Defaults")["id"])
    assert plain.campaign_schedule.to_dict() == DEFAULT_SCHEDULE
    entry = plain.campaign_schedule.schedules[0]
    assert (entry.name, entry.timing.to_dict()["from"], entry.timezone) == \
        ("Business Hours", "09:00", "America/Chicago")
    variant = plain.sequences[0].steps[0].variants[0]
    assert (variant.subject, variant.body) == ("{{subject_line}}", "{{icebreaker}}")

    days_only = client.campaigns.get(compat.create_campaign("Weekend", {"saturday": True, "sunday": True})["id"])
    assert days_only.campaign_schedule.to_dict()["schedules"][0]["days"] == {"0": True, "6": True}
    names = client.campaigns.get(compat.create_campaign("Mon Wed", ["Mon", "wednesday"])["id"])
    assert names.campaign_schedule.to_dict()["schedules"][0]["days"] == {"1": True, "3": True}
    one = compat.create_campaign("NY hours", {"timing": {"from": "08:00", "to": "12:00"},
                                              "days": {"tuesday": True}, "timezone": "America/New_York"})
    sent = client.campaigns.get(one["id"]).campaign_schedule.to_dict()["schedules"][0]
    assert sent == {"name": "Business Hours", "timing": {"from": "08:00", "to": "12:00"},
                    "days": {"2": True}, "timezone": "America/Detroit"}


def test_create_campaign_passes_sequences_sending_accounts_and_other_fields(compat, client):
    created = compat.create_campaign(
        "Two steps", sequences=[{"subject": "Hi {{firstName}}", "body": "{{icebreaker}}", "delay": 3},
                                {"subject": "", "body": "Following up"}],
        email_list=["me@mydomain.example.com"], daily_limit=40)
    campaign = client.campaigns.get(created["id"])
    steps = campaign.sequences[0].steps
    assert [s.variants[0].body for s in steps] == ["{{icebreaker}}", "Following up"]
    assert steps[0].delay == 3
    assert campaign.email_list == ["me@mydomain.example.com"]
    assert campaign.daily_limit == 40


def test_create_campaign_rejects_an_unknown_day_before_sending(compat, client):
    import instantly
    with pytest.raises(instantly.ValidationError, match="funday"):
        compat.create_campaign("Bad", {"schedules": [{"name": "x", "timing": {"from": "09:00", "to": "17:00"},
                                                      "days": {"funday": True}, "timezone": "America/Chicago"}]})
    assert list(client.campaigns.list(limit=10)) == []


# ---- format_lead_for_instantly ---------------------------------------------------------------

def test_format_lead_for_instantly_matches_the_fixture_exactly(compat):
    from instantly.compat import format_lead_for_instantly
    pair = load_fixture("business-to-lead.json")
    lead = format_lead_for_instantly(pair["business"])
    assert lead == pair["lead"]
    assert list(lead) == list(pair["lead"])
    assert list(lead["custom_variables"]) == list(pair["lead"]["custom_variables"])
    assert compat.format_lead_for_instantly(pair["business"]) == pair["lead"]


def test_format_lead_for_instantly_raises_a_typed_error_for_a_blank_email():
    import instantly
    from instantly.compat import format_lead_for_instantly
    with pytest.raises(instantly.ValidationError, match="email"):
        format_lead_for_instantly({"name": "No Mail Cafe", "email": "  "})


# ---- bulk_add_leads --------------------------------------------------------------------------

def test_bulk_add_leads_accounts_for_a_duplicate_and_an_invalid_email(compat):
    from instantly.compat import format_lead_for_instantly
    campaign_id = compat.create_campaign("Accounting")["id"]
    leads = [format_lead_for_instantly(business(i)) for i in range(3)]
    leads.append(dict(leads[1]))                                       # repeated in the payload
    leads.append({"email": "not-an-email", "first_name": "Broken"})     # invalid email
    summary = compat.bulk_add_leads(campaign_id, leads)
    assert summary["uploaded"] == 3
    assert summary["duplicates"] == 1
    assert summary["invalid"] == 1
    assert summary["total"] == 5
    keys = ("uploaded", "duplicates", "invalid", "skipped", "blocklisted", "failed")
    assert sum(summary[k] for k in keys) == summary["total"]
    report = summary["report"]
    assert report.uploaded == 3 and len(report.lead_ids()) == 3

    # Sent again (as a generator): everything is already in the campaign.
    again = compat.bulk_add_leads(campaign_id, (lead for lead in leads[:3]))
    assert (again["uploaded"], again["duplicates"], again["total"]) == (0, 3, 3)


def test_bulk_add_leads_sends_1000_lead_chunks_and_reports_progress(compat, client, mock):
    from instantly.compat import format_lead_for_instantly
    campaign_id = compat.create_campaign("Chunks")["id"]
    mock.request("POST", "/__mock/stats/reset", {})
    seen = []
    summary = compat.bulk_add_leads(campaign_id, [format_lead_for_instantly(business(i)) for i in range(2100)],
                                    progress=lambda p: seen.append(p.done))
    assert summary["uploaded"] == 2100 and summary["failed"] == 0
    assert seen and seen[-1] == 2100 and seen == sorted(seen)
    status, stats, _ = mock.request("GET", "/__mock/stats")
    assert status == 200 and stats["operations"] == {"bulkAddLeads": 3}


def test_bulk_add_leads_raises_what_no_rerun_fixes_and_counts_the_rest(compat, mock):
    import instantly
    leads = [{"email": f"lead{i}@example.com"} for i in range(5)]
    with pytest.raises(instantly.NotFoundError) as missing:
        compat.bulk_add_leads("00000000-0000-4000-8000-000000000000", leads)
    assert missing.value.status_code == 404
    assert missing.value.summary["failed"] == 5 and missing.value.summary["uploaded"] == 0

    campaign_id = compat.create_campaign("Revoked key")["id"]
    mock.request("POST", "/__mock/responses", {"status": 401, "path": "/api/v2/leads/add", "times": 5})
    with pytest.raises(instantly.AuthenticationError) as auth:
        compat.bulk_add_leads(campaign_id, leads)
    assert auth.value.summary["total"] == 5 and auth.value.summary["report"].stop_reason
    assert TEST_KEY not in str(auth.value) and TEST_KEY not in repr(auth.value)


# ---- export_campaign -------------------------------------------------------------------------

def test_export_campaign_of_2500_businesses_with_some_unusable(compat, client):
    from instantly.types import CampaignStatus
    unusable = {7: {"email": None}, 100: {"email": ""}, 1234: {"email": "   "}, 2499: {"rating": "great"}}
    rows = []
    for i in range(2500):
        row = business(i, **unusable.get(i, {}))
        if i == 1500:
            del row["email"]
        rows.append(row)
    seen = []
    result = compat.export_campaign("Cafes Austin", iter(rows), activate=True, progress=lambda p: seen.append(p.done))

    campaign = client.campaigns.get(result["campaign_id"])
    assert campaign.name == "Cafes Austin"
    assert campaign.status == CampaignStatus.ACTIVE
    assert result["campaign"]["status"] == 1

    rejected = {r["index"]: r["reason"] for r in result["rejected"]}
    assert sorted(rejected) == [7, 100, 1234, 1500, 2499]
    assert "rating" in rejected[2499]
    assert result["businesses"] == 2500
    assert result["total"] == 2495
    assert result["uploaded"] == 2495
    keys = ("uploaded", "duplicates", "invalid", "skipped", "blocklisted", "failed")
    assert sum(result[k] for k in keys) == result["total"]
    assert result["total"] + len(result["rejected"]) == result["businesses"]
    assert result["report"].uploaded == 2495
    assert len(result["lead_ids"]) == 2495 and 7 not in result["lead_ids"] and 2498 in result["lead_ids"]
    assert seen and seen[-1] == 2500  # progress counts businesses, the rejected ones too

    lead = client.leads.get(result["lead_ids"][42])
    assert lead.email == rows[42]["email"]
    assert sum(1 for _ in client.leads.list(campaign=result["campaign_id"], limit=100)) == 2495


def test_export_campaign_stays_a_draft_unless_activated(compat, client):
    from instantly.types import CampaignStatus
    result = compat.export_campaign("Draft", [business(i) for i in range(10)])
    assert client.campaigns.get(result["campaign_id"]).status == CampaignStatus.DRAFT
    assert result["uploaded"] == 10 and result["rejected"] == []


def test_export_campaign_rerun_with_a_checkpoint_continues_into_the_same_campaign(compat, client, tmp_path):
    checkpoint = tmp_path / "export.ckpt"
    rows = [business(i) for i in range(1200)]
    first = compat.export_campaign("Resumable", rows, checkpoint=checkpoint)
    second = compat.export_campaign("Resumable", rows, checkpoint=checkpoint)
    assert second["campaign_id"] == first["campaign_id"]
    assert len(list(client.campaigns.list(limit=100))) == 1
    assert first["uploaded"] == 1200
    # The rerun sends nothing: both chunks come from the checkpoint, with their outcomes.
    assert second["report"].chunks_restored == 2 and second["report"].requests == 0
    assert second["uploaded"] == 1200 and second["failed"] == 0
    assert sum(1 for _ in client.leads.list(campaign=first["campaign_id"], limit=100)) == 1200


def test_export_campaign_checkpoint_of_a_deleted_campaign_starts_over(compat, client, tmp_path):
    checkpoint = tmp_path / "export.ckpt"
    rows = [business(i) for i in range(50)]
    first = compat.export_campaign("Deleted later", rows, checkpoint=checkpoint)
    client.campaigns.delete(first["campaign_id"])
    second = compat.export_campaign("Deleted later", rows, checkpoint=checkpoint)
    assert second["campaign_id"] != first["campaign_id"]
    assert second["uploaded"] == 50


def test_export_campaign_checkpoint_of_another_export_is_refused(compat, tmp_path):
    import instantly
    checkpoint = tmp_path / "export.ckpt"
    compat.export_campaign("First export", [business(1)], checkpoint=checkpoint)
    with pytest.raises(instantly.ValidationError, match="First export"):
        compat.export_campaign("Second export", [business(2)], checkpoint=checkpoint)
