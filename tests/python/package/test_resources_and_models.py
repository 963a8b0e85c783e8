"""Typed calls across resource families, pagination, models as values."""
from __future__ import annotations

import json

import pytest

from conftest import SCHEDULE


def test_campaign_create_get_update_delete(client):
    import instantly
    from instantly.types import Campaign
    created = client.campaigns.create(name="Bakeries", campaign_schedule=SCHEDULE)
    assert isinstance(created, Campaign)
    assert created.name == "Bakeries"
    fetched = client.campaigns.get(created.id)
    assert fetched == created or fetched.id == created.id
    updated = client.campaigns.update(created.id, name="Bakeries TX")
    assert updated.name == "Bakeries TX"
    client.campaigns.delete(created.id)
    with pytest.raises(instantly.NotFoundError):
        client.campaigns.get(created.id)


def test_campaign_status_is_an_enum_readable_by_name_and_value(client, campaign):
    from instantly.types import CampaignStatus
    assert client.campaigns.activate(campaign.id).status == CampaignStatus(1)
    status = client.campaigns.get(campaign.id).status
    assert status.value == 1
    assert isinstance(status.name, str)


def test_pagination_walks_every_page_lazily(client):
    for i in range(25):
        client.campaigns.create(name=f"Campaign {i:02d}", campaign_schedule=SCHEDULE)
    page = client.campaigns.list(limit=10)
    assert len(page.items) == 10
    assert page.has_next_page()
    assert page.next_starting_after == page.items[-1].id
    second = page.next_page()
    assert [c.name for c in second.items][0] == "Campaign 10"
    pages = list(page.iter_pages())
    assert [len(p.items) for p in pages] == [10, 10, 5]
    assert [c.name for c in page] == [f"Campaign {i:02d}" for i in range(25)]


def test_leads_add_with_dicts_then_list_through_the_body_cursor(client, campaign):
    added = client.leads.add(campaign_id=campaign.id,
                             leads=[{"email": f"owner{i}@shop{i}.example.com", "first_name": f"Shop {i}",
                                     "custom_variables": {"icebreaker": f"Hi {i}"}} for i in range(23)])
    assert added.leads_uploaded == 23
    assert [lead.index for lead in added.created_leads] == list(range(23))
    emails = [lead.email for lead in client.leads.list(campaign=campaign.id, limit=10)]
    assert len(emails) == 23
    assert emails[0] == "owner0@shop0.example.com"


def test_nullable_field_cleared_with_none_in_a_patch(client, campaign):
    added = client.leads.add(campaign_id=campaign.id,
                             leads=[{"email": "clear@example.com", "first_name": "Clear", "last_name": "Me"}])
    lead_id = added.created_leads[0].id
    patched = client.leads.update(lead_id, last_name=None)
    assert patched.last_name is None
    assert patched.to_dict()["last_name"] is None  # sent and stored as null, not left out
    assert client.leads.get(lead_id).first_name == "Clear"


def test_models_accept_model_or_dict_input_alike(client):
    from instantly.types import CampaignSchedule
    schedule = CampaignSchedule.from_dict(SCHEDULE)
    a = client.campaigns.create(name="From model", campaign_schedule=schedule)
    b = client.campaigns.create(name="From dict", campaign_schedule=SCHEDULE)
    assert a.campaign_schedule == b.campaign_schedule


def test_to_dict_round_trip_equality_and_repr(client, campaign):
    from instantly.types import Campaign
    again = Campaign.from_dict(campaign.to_dict())
    assert again == campaign
    assert Campaign.from_json(campaign.to_json()) == campaign
    assert json.loads(campaign.to_json())["name"] == "Cafes Austin"
    assert "Cafes Austin" in repr(campaign) and repr(campaign).startswith("Campaign(")
    unset = Campaign.from_dict({"id": "x", "name": "n"})
    assert unset.to_dict() == {"id": "x", "name": "n"}  # fields never set stay out


def test_unknown_fields_are_kept_and_reachable(client, campaign):
    from instantly.types import Campaign
    data = campaign.to_dict()
    data["brand_new_field"] = {"nested": [1, 2]}
    model = Campaign.from_dict(data)
    assert model["brand_new_field"] == {"nested": [1, 2]}
    assert model.model_extra == {"brand_new_field": {"nested": [1, 2]}}
    assert model.to_dict()["brand_new_field"] == {"nested": [1, 2]}


def test_unknown_enum_values_survive(client):
    from instantly.types import Campaign
    model = Campaign.from_dict({"id": "x", "name": "n", "status": 77})
    assert model.status == 77
    assert model.to_dict()["status"] == 77


def test_one_call_per_resource_family(client, campaign):
    """Every resource attribute exists and a representative call answers typed data."""
    client.lead_lists.create(name="List A")
    assert [l.name for l in client.lead_lists.list(limit=5)] == ["List A"]
    client.accounts.create(email="sender@example.com", first_name="S", last_name="T", provider_code=2,
                           imap_username="sender@example.com", imap_password="x", imap_host="imap.example.com",
                           imap_port=993, smtp_username="sender@example.com", smtp_password="x",
                           smtp_host="smtp.example.com", smtp_port=587)
    assert [a.email for a in client.accounts.list(limit=5)] == ["sender@example.com"]
    hook = client.webhooks.create(target_hook_url="http://127.0.0.1:9/h", event_type="all_events")
    assert client.webhooks.get(hook.id).id == hook.id
    assert client.block_list_entries.create(bl_value="spam.example.com").bl_value == "spam.example.com"
    assert client.custom_tags.create(label="VIP").label == "VIP"
    assert client.workspaces.get().name
    assert list(client.emails.list(limit=5)) == []
    assert client.api_keys.create(name="ci", scopes=["all:all"]).name == "ci"
    # Families the mock answers from their response schemas still decode into models.
    for name in dir(client):
        if not name.startswith("_") and name not in ("base_url", "workspace", "observer", "request", "close",
                                                         "with_options"):
            assert getattr(client, name) is not None


def _representative_call(resource):
    """A reading method of a resource (list, get, count...) and the arguments it needs: none when
    possible, else a placeholder id for each path argument (required keyword parameters rule a
    method out)."""
    import inspect
    names = [n for n in dir(type(resource)) if n.split("_")[0] in ("list", "get", "count", "search")]
    fallback = None
    for name in sorted(names, key=lambda n: (n != "list", n)):
        method = getattr(resource, name)
        params = list(inspect.signature(method).parameters.values())
        required = [p for p in params if p.default is inspect.Parameter.empty]
        if not required:
            return name, method, []
        if fallback is None and all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in required):
            fallback = (name, method, ["019a0000-0000-7000-8000-00000000abcd"] * len(required))
    return fallback or (None, None, [])


def test_every_resource_family_answers_a_call(client):
    """Each of the 35 resource families, through one reading call, decoded into its typed result
    (the mock answers families it keeps no state for from their schemas; an id it does not know
    is a NotFoundError, which proves the call went through that family's binding too)."""
    import instantly
    from instantly.resources import ResourceAccessors
    families = [n for n, v in vars(ResourceAccessors).items() if isinstance(v, property)]
    assert len(families) == 35
    called = []
    for family in families:
        name, method, args = _representative_call(getattr(client, family))
        if method is None:
            continue
        try:
            result = method(*args)
        except instantly.NotFoundError:
            called.append(family)
            continue
        if isinstance(result, instantly.SyncPage):
            list(result)
        else:
            assert result is None or isinstance(result, (instantly.BaseModel, list, dict, str)), (family, name)
        called.append(family)
    assert sorted(called) == sorted(families)


def test_per_call_extras_reach_the_request(client, campaign):
    import instantly
    # extra_query: a parameter the typed signature also has, given by hand.
    assert [c.id for c in client.campaigns.list(extra_query={"search": "Cafes"})] == [campaign.id]
    assert list(client.campaigns.list(extra_query={"search": "nothing like it"})) == []
    # extra_body: part of the body, so request validation sees the unknown member...
    with pytest.raises(instantly.ValidationError) as checked:
        client.lead_lists.create(name="L", extra_body={"not_a_field": 1})
    assert "body.not_a_field is not allowed (unknown field)" in str(checked.value)
    # ...and without it, it is sent as given, for the API's own validation to see.
    with pytest.raises(instantly.BadRequestError) as info:
        client.with_options(validate_requests=False).lead_lists.create(name="L", extra_body={"not_a_field": 1})
    assert "not_a_field" in str(info.value)
    # ...and refused before sending when the operation has no body to carry it.
    with pytest.raises(instantly.ValidationError) as refused:
        client.campaigns.list(limit=1, extra_body={"not_a_field": 1})
    assert "not_a_field" in str(refused.value)
    # extra_headers replace the defaults (the Cloudflare block shows the User-Agent went out).
    with pytest.raises(instantly.PermissionDeniedError):
        client.campaigns.list(limit=1, extra_headers={"User-Agent": "Python-urllib/3.11"})
    # timeout: per call.
    assert client.campaigns.get(campaign.id, timeout=5.0).id == campaign.id
