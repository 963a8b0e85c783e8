class LeadRecord(metaclass=type):
    """What happened to one input lead (made by client.leads.import_leads)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): imports make records."""
    @property
    def index(self) -> int:
        """Position in the input, from 0."""
    @property
    def outcome(self) -> str:
        """'uploaded', 'duplicate_in_campaign', ... (a LeadOutcome name)."""
    @property
    def lead_id(self) -> Optional[str]:
        """The lead's id: uploaded leads, and duplicates found by lookup; else None."""
    @property
    def reason(self) -> Optional[str]:
        """Why, for every outcome but uploaded; else None."""
    @property
    def status(self) -> Optional[int]:
        """HTTP status of a failed chunk; else None."""
    @property
    def after_retry(self) -> bool:
        """A duplicate reported on a re-sent chunk: the failed attempt may have created it."""
    def to_dict(self) -> Dict[str, Any]:
        """Every attribute, by name."""
    def __eq__(self, other: object) -> bool: ...

class ImportResult(metaclass=type):
    """The C++ ImportReport; instantly.workflows.ImportReport wraps it."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        """Not constructible from Python (raises TypeError): imports make results."""
    @property
    def total(self) -> int: ...
    @property
    def chunks(self) -> int: ...
    @property
    def chunks_restored(self) -> int: ...
    @property
    def requests(self) -> int: ...
    @property
    def cancelled(self) -> bool: ...
    @property
    def elapsed(self) -> float: ...
    @property
    def stop_reason(self) -> Optional[str]: ...
    @property
    def ok(self) -> bool: ...
    def counts(self) -> Dict[str, int]: ...
    def outcomes(self) -> List[LeadRecord]: ...
    def records(self, outcome: str) -> List[LeadRecord]: ...
    def lead_ids(self) -> Dict[int, str]: ...
    def accounts_for_every_lead(self) -> bool: ...

def workflows_format_lead_for_instantly(business_json: str) -> str:
    """The old pipeline's lead (JSON text) for a business row (JSON text)."""
def workflows_business_to_lead(business_json: str, *, fill_top_level_contact: bool = True) -> str:
    """The lead (JSON text) for POST /leads/add from a business row (JSON text)."""
def workflows_to_api_timezone(name: str) -> str:
    """The API's schedule timezone for an IANA zone; raises ValidationError."""
def workflows_allowed_timezones() -> List[str]:
    """The schedule timezones the API accepts, in the spec's order."""
def workflows_convert_old_schedule(schedule_json: str) -> str:
    """The old pipeline's campaign_schedule (JSON text) in the v2 shape (JSON text)."""
def workflows_plain_lead_json(item: object) -> Optional[str]:
    """The lead import's shortcut for a plain dict, as JSON text; None when the item takes the general path (JSON via the Python side)."""
def workflows_import_leads(core: Core, next_batch: Callable[[], List[object]], to_json: Callable[[object, int], str],
                           progress: Optional[Callable[[int, Optional[int], float, Optional[float]], object]], *,
                           campaign_id: Optional[str], list_id: Optional[str], concurrency: int,
                           checkpoint: Optional[str], chunk_size: int, skip_if_in_workspace: Optional[bool],
                           skip_if_in_campaign: Optional[bool], skip_if_in_list: Optional[bool],
                           blocklist_id: Optional[str], verify_leads_on_import: Optional[bool],
                           assigned_to: Optional[str], max_chunk_attempts: int, total: Optional[int],
                           keep_outcomes: bool) -> ImportResult:
    """Runs a LeadImporter over next_batch() (lists of leads, empty at the end; an item that is not a plain dict goes through to_json(item, index)); progress(done, total, leads_per_second, eta) after each chunk. Keywords: every LeadImportOptions member, by name."""
def workflows_start_import_leads(core: Core, next_batch: Callable[[], List[object]],
                                 to_json: Callable[[object, int], str],
                                 progress: Optional[Callable[[int, Optional[int], float, Optional[float]], object]],
                                 port: CompletionPort, token: object, *,
                                 campaign_id: Optional[str], list_id: Optional[str], concurrency: int,
                                 checkpoint: Optional[str], chunk_size: int, skip_if_in_workspace: Optional[bool],
                                 skip_if_in_campaign: Optional[bool], skip_if_in_list: Optional[bool],
                                 blocklist_id: Optional[str], verify_leads_on_import: Optional[bool],
                                 assigned_to: Optional[str], max_chunk_attempts: int, total: Optional[int],
                                 keep_outcomes: bool) -> PendingCall:
    """workflows_import_leads for asyncio: returns a PendingCall at once; the report (or the exception) goes to `port` with `token`."""
