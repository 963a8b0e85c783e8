"""Requests are checked against the API's schemas before they are sent (on by default): a call
the API would refuse raises ValidationError naming the operation and the field, and the mock
sees no request at all. `validate_requests=False` sends it anyway, for the server to judge."""
from __future__ import annotations

import asyncio

import pytest

from conftest import SCHEDULE, TEST_KEY


def served(mock) -> int:
    """How many API requests the mock has answered since its last reset."""
    return mock.request("GET", "/__mock/stats")[1]["total"]


def refused(call) -> str:
    import instantly
    with pytest.raises(instantly.ValidationError) as info:
        call()
    return str(info.value)


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_a_page_size_out_of_range_is_refused_unsent(client, mock, limit):
    before = served(mock)
    message = refused(lambda: client.campaigns.list(limit=limit).items)
    assert "listCampaign" in message and "query.limit must be at" in message
    assert served(mock) == before


def test_leads_add_refuses_1001_leads_both_targets_and_nested_custom_variables(client, mock, campaign):
    before = served(mock)
    too_many = [{"email": f"lead{i}@example.com"} for i in range(1001)]
    assert "body.leads must have at most 1000 items (got 1001)" in refused(
        lambda: client.leads.add(campaign_id=campaign.id, leads=too_many))
    assert "must not have both campaign_id and list_id" in refused(
        lambda: client.leads.add(campaign_id=campaign.id, list_id="l-1", leads=[{"email": "a@example.com"}]))
    assert "must have either campaign_id or list_id" in refused(
        lambda: client.leads.add(leads=[{"email": "a@example.com"}]))
    for value, kind in (({"city": "Oslo"}, "object"), (["a", "b"], "array")):
        message = refused(lambda: client.leads.add(
            campaign_id=campaign.id, leads=[{"email": "a@example.com", "custom_variables": {"where": value}}]))
        assert f"body.leads[0].custom_variables.where must be a string, a number, a boolean or null (got {kind})" \
            in message
    assert served(mock) == before
    # The same call within the rules goes through.
    result = client.leads.add(campaign_id=campaign.id, leads=[{"email": "a@example.com",
                                                               "custom_variables": {"tier": 2}}])
    assert result.leads_uploaded == 1


def test_a_schedule_that_breaks_the_pattern_or_has_no_days_is_refused(client, mock):
    before = served(mock)
    bad = {"schedules": [{"name": "Weekdays", "timing": {"from": "9am", "to": "17:00"}, "days": {},
                          "timezone": "America/Detroit"}]}
    message = refused(lambda: client.campaigns.create(name="Cafes", campaign_schedule=bad))
    assert "createCampaign" in message
    assert "body.campaign_schedule.schedules[0].timing.from must match the pattern" in message
    assert "body.campaign_schedule.schedules[0].days must have at least 1 field (got 0)" in message
    assert served(mock) == before


def test_validate_requests_false_leaves_the_judgement_to_the_server(client, mock):
    import instantly
    unchecked = client.with_options(validate_requests=False)
    before = served(mock)
    with pytest.raises(instantly.BadRequestError):
        unchecked.campaigns.list(limit=0).items
    assert served(mock) == before + 1
    # The parent keeps checking.
    refused(lambda: client.campaigns.list(limit=0).items)
    assert served(mock) == before + 1

    with instantly.Client(api_key=TEST_KEY, base_url=mock.url, validate_requests=False) as off:
        with pytest.raises(instantly.BadRequestError):
            off.campaigns.create(name="No schedule", campaign_schedule={"schedules": []})
    assert served(mock) == before + 2


def test_the_asyncio_client_validates_the_same_way(mock):
    import instantly

    async def main() -> str:
        async with instantly.AsyncClient(api_key=TEST_KEY, base_url=mock.url) as client:
            with pytest.raises(instantly.ValidationError) as info:
                await client.campaigns.create(name="Cafes", campaign_schedule={"schedules": []})
            return str(info.value)

    mock.request("POST", "/__mock/reset", {})
    before = served(mock)
    assert "body.campaign_schedule.schedules must have at least 1 item (got 0)" in asyncio.run(main())
    assert served(mock) == before


def test_a_valid_campaign_passes_validation_and_is_created(client):
    campaign = client.campaigns.create(name="Cafes Austin", campaign_schedule=SCHEDULE)
    assert campaign.id
