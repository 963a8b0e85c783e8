"""Hand-written corrections to what the naming rules produce. Keep every exception here.

Each entry says why it exists; the rules themselves live in naming.py and reader.py.
"""

# Resource accessors the tag → snake_case-plural rule names badly.
RESOURCE_ACCESSORS = {
    "OAuth": "oauth",  # the rule splits "O Auth"
    "WorkspaceBilling": "workspace_billing",  # billing is not countable
    "SuperSearchEnrichment": "supersearch_enrichment",  # Instantly's product is "SuperSearch"
    "InboxPlacementBlacklistAndSpamAssassinReport": "inbox_placement_reports",  # path /inbox-placement-reports
}

# Method names by operationId, where the rule's result is wrong or DESIGN.md fixes the name.
METHOD_NAMES = {
    "bulkAddLeads": "add",  # DESIGN.md: client.leads().add(...)
    "getCampaignAnalytics": "analytics",  # DESIGN.md: client.campaigns().analytics(...)
    "pauseAccounts": "bulk_pause",  # otherwise the same name as pauseAccount
    "enableWarmupForAccounts": "enable_warmup",
    "disableWarmupForAccounts": "disable_warmup",
    "createblukBlockListEntry": "bulk_create",  # typo in the operationId
    "deletebulkBlockListEntry": "bulk_remove",
    "deleteallBlockListEntry": "remove_all",
    "bulkDeleteLeads": "bulk_remove",
    "getDeliverabilityAgent": "get_current",  # the workspace's agent, no id
    "getDeliverabilityAgentState": "get_current_state",
    "checkVerificationStatus": "get",
    "getAccountCampaignMapping": "list",  # a paginated list despite its name
    "exportCampaign": "export_campaign",  # `export` is a C++ keyword
}

# POSTs that only read, or are safe to send twice, and may be retried like GETs.
IDEMPOTENT_POSTS = {
    "listLeads",  # a search with a body cursor
    "bulkAddLeads",  # duplicates are reported, never added twice (api-facts)
    "getWarmupAnalytics",
    "getAiAgentAnalytics",
    "countLeadsFromSupersearch",
    "previewLeadsFromSupersearch",
    "signalKeywordsFacet",
    "checkDomainsAvailability",
    "generateSimilarDomains",
    "preWarmedUpDomainsList",
    "getInboxPlacementAnalyticsStatsByTestId",
    "getInboxPlacementAnalyticsDeliverabilityInsights",
    "getInboxPlacementAnalyticsStatsByDate",
}

# Type names the inline-naming rule gets wrong, by the rule's name. Types nested in a renamed
# type take their names from the new one.
TYPE_NAMES: dict[str, str] = {
    "CampaignScheduleSchedule": "CampaignScheduleEntry",  # one entry of campaign_schedule.schedules
    "CampaignScheduleEntryTimezone": "Timezone",  # the API's closed list of schedule time zones
    "CampaignSubsequenceSubsequenceSchedule": "SubsequenceSchedule",
}

# C++ member names for JSON keys that are not identifiers, by (type name, JSON key).
_WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
FIELD_NAMES: dict[tuple[str, str], str] = {
    ("CampaignScheduleEntryDays", str(day)): name for day, name in enumerate(_WEEKDAYS)
}

# Request rules the spec states only in words, by operationId, as JSON Schema. Each is added to
# the operation's body schema as one more `allOf` branch, for the validators (the client's and
# instantly-mock's) only: models and docs are unchanged. Only rules the live API enforces with a
# 400 belong here (api-facts.md). A lead without an email in a campaign does not: the API takes
# the call and counts that lead in `incomplete_count`, so a rule would refuse the whole batch.
REQUEST_RULES: dict[str, list[dict]] = {
    "bulkAddLeads": [
        # The leads go to a campaign or to a list: exactly one of the two.
        {"anyOf": [{"required": ["campaign_id"]}, {"required": ["list_id"]}]},
        {"not": {"required": ["campaign_id", "list_id"]}},
    ],
}
