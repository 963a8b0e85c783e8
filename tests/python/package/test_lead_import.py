"""`client.leads.import_leads` and `instantly.workflows` against instantly-mock: every input lead
accounted for, chunking, progress, checkpoint resume, Ctrl-C, the GIL released during an import,
and the pure helpers (business → lead, schedules, timezones) on the shared reference fixtures."""
from __future__ import annotations

import collections
import io
import json
import os
import signal
import threading
import time

import pytest

from conftest import TEST_KEY, CounterThread, load_fixture
from mock_process import MockProcess

def numbered(n: int, domain: str = "example.com"):
    for i in range(n):
        yield {"email": f"lead{i}@{domain}", "first_name": f"Lead {i}"}


def add_calls(mock) -> int:
    status, stats, _ = mock.request("GET", "/__mock/stats")
    assert status == 200
    return stats["operations"].get("bulkAddLeads", 0)


@pytest.fixture
def checkpoint_path(tmp_path):
    return tmp_path / "import.ckpt"


def test_mixed_bad_input_is_accounted_for(client, campaign):
    from instantly import workflows
    from instantly.types import LeadAddParamsLead
    existing = client.leads.add(campaign_id=campaign.id, leads=[{"email": "exists@acme.com"}])
    client.block_list_entries.create(bl_value="blocked@acme.com")
    leads = [
        {"email": "good1@acme.com"},                                        # 0 uploaded
        {"email": "not-an-email"},                                          # 1 invalid email (rejected here)
        {"email": "GOOD1@acme.com"},                                        # 2 duplicate in the input
        {"email": "exists@acme.com"},                                       # 3 already in the campaign
        {"email": "blocked@acme.com"},                                      # 4 blocklisted
        {"email": "a@acme.com", "custom_variables": {"n" * 101: "x"}},      # 5 variable name too long
        {"email": "b@acme.com", "custom_variables": {"tags": ["a"]}},       # 6 nested value
        {"email": "c@acme.com", "custom_variables": {"note": "v" * 1001}},  # 7 value too long
        LeadAddParamsLead(email="good2@acme.com", custom_variables={"n": 3, "ok": True, "s": "x"}),  # 8 model
    ]
    report = client.leads.import_leads(leads, campaign_id=campaign.id)
    assert isinstance(report, workflows.ImportReport)
    assert report.total == 9
    assert set(report.counts) == set(workflows.LeadOutcome.ALL)
    assert sum(report.counts.values()) == 9
    assert report.uploaded == report.count("uploaded") == 2
    assert report.count(workflows.LeadOutcome.REJECTED_CLIENT_SIDE) == 4
    assert report.count("duplicate_in_payload") == 1
    assert report.count("duplicate_in_campaign") == 1
    assert report.count("blocklisted") == 1
    assert report.failed == 0 and report.ok and not report.cancelled and report.stop_reason is None
    assert report.chunks == 1 and report.chunks_restored == 0 and report.requests >= 1
    assert report.elapsed >= 0

    outcomes = report.outcomes
    assert [r.index for r in outcomes] == list(range(9))
    assert [r.outcome for r in outcomes] == [
        "uploaded", "rejected_client_side", "duplicate_in_payload", "duplicate_in_campaign", "blocklisted",
        "rejected_client_side", "rejected_client_side", "rejected_client_side", "uploaded"]
    assert outcomes[0].lead_id and outcomes[0].reason is None and outcomes[0].status is None
    assert "email" in outcomes[1].reason and outcomes[1].lead_id is None
    assert outcomes[3].lead_id == existing.created_leads[0].id
    assert "custom_variables" in outcomes[5].reason
    assert "custom_variables.tags" in outcomes[6].reason
    assert "custom_variables.note" in outcomes[7].reason
    assert not outcomes[3].after_retry
    assert report.outcomes is outcomes  # made once

    ids = report.lead_ids()
    assert set(ids) == {0, 8}
    assert client.leads.get(ids[8]).email == "good2@acme.com"
    assert [r.index for r in report.records("rejected_client_side")] == [1, 5, 6, 7]
    with pytest.raises(Exception, match="unknown lead outcome"):
        report.records("nope")

    as_dict = report.to_dict()
    json.dumps(as_dict)
    assert as_dict["counts"]["uploaded"] == 2 and len(as_dict["outcomes"]) == 9
    assert as_dict["outcomes"][0] == outcomes[0].to_dict()
    assert "uploaded=2" in repr(report) and "ok=True" in repr(report)
    assert "LeadRecord(index=1, outcome='rejected_client_side'" in repr(outcomes[1])


def test_a_generator_of_2500_goes_in_3_chunks_and_ids_match(client, campaign, mock):
    mock.request("POST", "/__mock/stats/reset")
    report = client.leads.import_leads(numbered(2500), campaign_id=campaign.id)
    assert report.total == 2500 and report.uploaded == 2500 and report.ok
    assert report.chunks == 3 and add_calls(mock) == 3
    ids = report.lead_ids()
    assert len(ids) == 2500 and len(set(ids.values())) == 2500
    for index in (0, 999, 1000, 1777, 2499):
        lead = client.leads.get(ids[index])
        assert lead.email == f"lead{index}@example.com"
        assert lead.campaign == campaign.id


# ---- the plain-dict shortcut ---------------------------------------------------------------
# import_leads copies a plain dict into C++ field by field instead of going through JSON text;
# whatever it accepts must become exactly the lead the JSON path makes.

PLAIN_LEADS = [
    {"email": "a@example.com"},
    {"email": "José.Müller@example.com", "first_name": "José 🍰", "last_name": 'O"Brien \\ \n\t',
     "company_name": "Zürich\u0000GmbH", "phone": "+41 44", "website": "https://ex.ch", "job_title": "CEO",
     "personalization": "Hi", "pl_value_lead": "12", "assigned_to": "u-1"},
    {"email": None, "first_name": None, "custom_variables": {}},
    {"email": "b@example.com", "custom_variables": {"s": "x", "n": -3, "big": 2**63 - 1, "yes": True, "no": False,
                                                    "none": None, "ü": "ß"}},
]
GENERAL_PATH_LEADS = [
    {"email": "c@example.com", "custom_variables": {"rating": 4.5}},          # float: Python writes the digits
    {"email": "c@example.com", "custom_variables": {"n": 2**64}},             # does not fit in 64 bits
    {"email": "c@example.com", "custom_variables": {"tags": ["a"]}},          # nested: rejected by validation
    {"email": "c@example.com", "custom_variables": None},
    {"email": "c@example.com", "lt_interest_status": 1},                      # an enum field
    {"email": "c@example.com", "source": "maps"},                             # a member the model does not list
    {"email": 5},                                                             # wrong type: the decoder says so
    {"email": "\ud800@example.com"},                                          # not encodable as UTF-8
    {1: "x"},
]


def test_the_plain_dict_shortcut_makes_the_same_lead_as_the_json_path():
    from instantly import _core
    from instantly._workflows.lead_import import _lead_json
    for lead in PLAIN_LEADS:
        shortcut = _core.workflows_plain_lead_json(lead)
        assert shortcut is not None, lead
        assert json.loads(shortcut) == json.loads(_lead_json(lead, 0))
    for lead in GENERAL_PATH_LEADS:
        assert _core.workflows_plain_lead_json(lead) is None, lead
    assert _core.workflows_plain_lead_json(collections.OrderedDict(email="d@example.com")) is None
    # The old pipeline's leads, the main job's input, take the shortcut.
    pair = load_fixture("business-to-lead.json")
    assert json.loads(_core.workflows_plain_lead_json(pair["lead"])) == pair["lead"]


def test_leads_from_both_paths_arrive_as_given(client, campaign):
    leads = [PLAIN_LEADS[1], PLAIN_LEADS[3],
             {"email": "float@example.com", "custom_variables": {"rating": 4.5, "name": "Zoë"}}]
    report = client.leads.import_leads(leads, campaign_id=campaign.id)
    assert report.uploaded == 3 and report.ok
    ids = report.lead_ids()
    first = client.leads.get(ids[0])
    assert (first.email, first.first_name, first.last_name) == ("José.Müller@example.com", "José 🍰", 'O"Brien \\ \n\t')
    assert first.company_name == "Zürich\u0000GmbH" and first.phone == "+41 44"
    assert client.leads.get(ids[1]).payload.to_dict() == PLAIN_LEADS[3]["custom_variables"]
    assert client.leads.get(ids[2]).payload.to_dict() == {"rating": 4.5, "name": "Zoë"}


class FakeBar:
    """What tqdm offers the callback: `n` and `update(k)`."""

    def __init__(self):
        self.n = 0
        self.updates = []

    def update(self, k):
        self.n += k
        self.updates.append(k)


def test_progress_goes_up_to_the_total(client, campaign):
    from instantly.workflows import ImportProgress
    seen = []
    bar = FakeBar()

    def progress(p):
        assert isinstance(p, ImportProgress)
        seen.append(p)
        bar.update(p.done - bar.n)

    leads = list(numbered(2500))
    report = client.leads.import_leads(leads, campaign_id=campaign.id, progress=progress, chunk_size=500)
    assert report.uploaded == 2500
    assert len(seen) == 5
    dones = [p.done for p in seen]
    assert dones == sorted(dones) and len(set(dones)) == 5 and dones[-1] == 2500
    assert all(p.total == 2500 for p in seen)  # len() of a list
    assert all(p.leads_per_second >= 0 for p in seen)
    assert all(p.eta is None or p.eta >= 0 for p in seen)
    assert bar.n == 2500 and all(k > 0 for k in bar.updates)
    assert "done=2500" in repr(seen[-1])

    # A generator has no len(): total= gives progress its denominator.
    totals = []
    client.leads.import_leads(numbered(10, "other.com"), campaign_id=campaign.id, progress=lambda p: totals.append(p.total))
    assert totals == [None]
    client.leads.import_leads(numbered(10, "third.com"), campaign_id=campaign.id, total=10,
                              progress=lambda p: totals.append(p.total))
    assert totals == [None, 10]


def test_a_real_tqdm_bar_follows_the_import(client, campaign):
    tqdm = pytest.importorskip("tqdm").tqdm  # Debian's python3-tqdm; scripts/setup installs it
    out = io.StringIO()
    with tqdm(total=1200, file=out, unit=" leads") as bar:
        report = client.leads.import_leads(numbered(1200, "tqdm.com"), campaign_id=campaign.id, total=1200,
                                           chunk_size=400, progress=lambda p: bar.update(p.done - bar.n))
        assert bar.n == 1200
    assert report.uploaded == 1200
    assert "1200/1200" in out.getvalue()


def test_raising_from_progress_stops_and_a_rerun_resumes(client, campaign, mock, checkpoint_path):
    class Stop(Exception):
        pass

    def stop_after_first(p):
        raise Stop(f"stop at {p.done}")

    mock.request("POST", "/__mock/stats/reset")
    with pytest.raises(Stop, match="stop at 1000"):
        client.leads.import_leads(numbered(2500), campaign_id=campaign.id, checkpoint=checkpoint_path,
                                  concurrency=1, progress=stop_after_first)
    assert add_calls(mock) == 1
    assert checkpoint_path.exists()

    report = client.leads.import_leads(numbered(2500), campaign_id=campaign.id, checkpoint=str(checkpoint_path))
    assert report.chunks_restored == 1 and report.chunks == 2
    assert add_calls(mock) == 3  # only the two remaining chunks went out
    assert report.total == 2500 and report.uploaded == 2500 and report.ok
    assert len(report.lead_ids()) == 2500

    # A checkpoint written for another target is refused before anything is sent.
    other = client.campaigns.create(name="Other", campaign_schedule=campaign.campaign_schedule)
    import instantly
    with pytest.raises(instantly.ValidationError):
        client.leads.import_leads(numbered(10), campaign_id=other.id, checkpoint=checkpoint_path)
    assert add_calls(mock) == 3


def test_an_exception_from_the_input_propagates(client, campaign):
    def broken():
        yield {"email": "one@example.com"}
        raise LookupError("the input broke")

    with pytest.raises(LookupError, match="the input broke"):
        client.leads.import_leads(broken(), campaign_id=campaign.id)
    with pytest.raises(TypeError, match=r"leads\[1\]"):
        client.leads.import_leads([{"email": "a@example.com"}, 42], campaign_id=campaign.id)


def test_into_a_list(client):
    lead_list = client.lead_lists.create(name="Import list")
    report = client.leads.import_leads(numbered(30), list_id=lead_list.id)
    assert report.uploaded == 30 and report.ok
    again = client.leads.import_leads(numbered(30), list_id=lead_list.id)
    assert again.count("duplicate_in_list") == 30 and again.uploaded == 0


def test_target_and_options_are_checked_before_sending(client, campaign, mock):
    import instantly
    mock.request("POST", "/__mock/stats/reset")
    with pytest.raises(instantly.ValidationError, match="exactly one"):
        client.leads.import_leads(numbered(3))
    with pytest.raises(instantly.ValidationError, match="exactly one"):
        client.leads.import_leads(numbered(3), campaign_id=campaign.id, list_id="x")
    with pytest.raises(instantly.ValidationError, match="chunk_size"):
        client.leads.import_leads(numbered(3), campaign_id=campaign.id, chunk_size=1001)
    with pytest.raises(instantly.ValidationError, match="concurrency"):
        client.leads.import_leads(numbered(3), campaign_id=campaign.id, concurrency=0)
    with pytest.raises(TypeError):
        client.leads.import_leads({"email": "one@example.com"}, campaign_id=campaign.id)
    assert add_calls(mock) == 0


def test_keep_outcomes_false_keeps_counts_only(client, campaign):
    records = []
    report = client.leads.import_leads(numbered(1500), campaign_id=campaign.id, keep_outcomes=False,
                                       progress=lambda p: records.append(p.done))
    assert report.total == 1500 and report.uploaded == 1500 and report.ok
    assert report.outcomes == [] and report.lead_ids() == {}
    assert records[-1] == 1500


# ---- the GIL and Ctrl-C, against a mock with latency -------------------------------------------

LATENCY = 0.3


@pytest.fixture(scope="module")
def slow_mock():
    with MockProcess(["--latency-ms", str(int(LATENCY * 1000)), "--no-rate-limit"]) as process:
        yield process


@pytest.fixture
def slow_client(slow_mock):
    import instantly
    slow_mock.request("POST", "/__mock/reset", {})
    with instantly.Client(api_key=TEST_KEY, base_url=slow_mock.url) as c:
        yield c


def test_the_gil_is_released_during_an_import(slow_client):
    from conftest import SCHEDULE
    campaign = slow_client.campaigns.create(name="Slow", campaign_schedule=SCHEDULE)
    with CounterThread() as counter:
        before = counter.count
        report = slow_client.leads.import_leads(numbered(300), campaign_id=campaign.id, chunk_size=100,
                                                concurrency=1)
        during = counter.count - before
    assert report.uploaded == 300 and report.chunks == 3
    assert during > 1000, f"the counter thread only ran {during} times during a {3 * LATENCY} s import"


def test_ctrl_c_stops_sending_finishes_in_flight_and_resumes(slow_client, slow_mock, checkpoint_path):
    import instantly
    from conftest import SCHEDULE
    campaign = slow_client.campaigns.create(name="Interrupted", campaign_schedule=SCHEDULE)
    slow_mock.request("POST", "/__mock/stats/reset")
    timer = threading.Timer(LATENCY * 1.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):  # an endless input: the import stops reading it too
            slow_client.leads.import_leads(numbered(10**12), campaign_id=campaign.id, chunk_size=100,
                                           concurrency=1, checkpoint=checkpoint_path)
    finally:
        timer.cancel()
    status, stats, _ = slow_mock.request("GET", "/__mock/stats")
    assert stats["in_flight"] <= 1  # this stats call itself, nothing of the import
    sent = stats["operations"].get("bulkAddLeads", 0)
    assert 1 <= sent < 5

    report = slow_client.leads.import_leads(numbered(1000), campaign_id=campaign.id, chunk_size=100,
                                            concurrency=4, checkpoint=checkpoint_path)
    assert report.chunks_restored == sent and report.chunks == 10 - sent
    assert report.uploaded == 1000 and report.ok
    assert isinstance(report, instantly.workflows.ImportReport)


# ---- pure helpers ----------------------------------------------------------------------------

def test_format_lead_for_instantly_matches_the_fixture():
    from instantly import workflows
    pair = load_fixture("business-to-lead.json")
    lead = workflows.format_lead_for_instantly(pair["business"])
    assert lead == pair["lead"]
    assert list(lead) == list(pair["lead"])  # the same member order
    assert list(lead["custom_variables"]) == list(pair["lead"]["custom_variables"])


def test_business_to_lead_and_missing_cells():
    import instantly
    from instantly import workflows
    row = {"name": "Acme Cafe", "email": "contact@acmecafe.com", "phone": "+1-555", "website": "https://a.example",
           "rating": float("nan"), "city": None, "reviews_count": 12}
    lead = workflows.business_to_lead(row)
    assert lead["phone"] == "+1-555" and lead["website"] == "https://a.example"
    assert "business_rating" not in lead["custom_variables"]
    assert lead["custom_variables"]["business_reviews"] == "12"
    plain = workflows.business_to_lead(row, fill_top_level_contact=False)
    assert "phone" not in plain and "website" not in plain
    with pytest.raises(instantly.ValidationError, match="email"):
        workflows.format_lead_for_instantly({"name": "No Email", "email": "  "})


def test_convert_old_schedule_matches_the_fixture():
    from instantly import workflows
    pair = load_fixture("old-campaign-request.json")
    converted = workflows.convert_old_schedule(pair["old_request"]["campaign_schedule"])
    assert converted == pair["v2_request"]["campaign_schedule"]


def test_timezones():
    import instantly
    from instantly import workflows
    assert workflows.to_api_timezone("America/New_York") == "America/Detroit"
    assert workflows.to_api_timezone("America/Chicago") == "America/Chicago"
    assert "America/Detroit" in workflows.allowed_timezones()
    assert "America/New_York" not in workflows.allowed_timezones()
    with pytest.raises(instantly.ValidationError, match="timezone"):
        workflows.to_api_timezone("Mars/Olympus_Mons")


def test_workflows_is_a_lazy_attribute_of_the_package():
    import instantly
    assert "workflows" in instantly.__all__
    assert instantly.workflows.LeadOutcome.UPLOADED == "uploaded"
    assert instantly.workflows.LeadRecord is instantly._core.LeadRecord
