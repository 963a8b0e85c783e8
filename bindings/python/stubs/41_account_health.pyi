class AccountHealthRunner(metaclass=type):
    """The C++ AccountHealth; instantly.workflows.AccountHealth wraps it."""

    def __init__(self, core: Core, *, thresholds: Dict[str, Any], window_days: int, end_date: Optional[str],
                 vitals_batch_size: int, warmup_batch_size: int, daily_batch_size: int) -> None: ...
    def check(self, emails: Optional[List[str]]) -> List[Dict[str, Any]]:
        """Checks the given accounts (None: every account); a list of result dicts."""

def account_health_defaults() -> Dict[str, Any]:
    """The C++ defaults: thresholds, window_days, batch sizes and the reason codes in order."""
