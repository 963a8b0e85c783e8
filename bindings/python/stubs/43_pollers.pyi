# The pollers (instantly/workflows/pollers.hpp), used by instantly.workflows.

class StopSource(metaclass=type):
    """A C++ std::stop_source; instantly.workflows.CancelToken wraps it."""

    def __init__(self) -> None: ...
    def request_stop(self) -> bool:
        """Requests the stop; True the first time."""
    @property
    def stop_requested(self) -> bool:
        """Whether it was requested."""

def workflows_wait_for_background_job(core: Core, job_id: str, *, timeout: Optional[float], initial_interval: float,
                                      max_interval: float, multiplier: float,
                                      on_update: Optional[Callable[[str], object]],
                                      cancel: Optional[StopSource]) -> str:
    """Polls the job until it is finished; the final job as JSON text. on_update(json_text) after each poll."""
def workflows_verify_email(core: Core, email: str, *, timeout: Optional[float], initial_interval: float,
                           max_interval: float, multiplier: float, on_update: Optional[Callable[[str], object]],
                           cancel: Optional[StopSource]) -> str:
    """Starts a verification and polls it to its result; the verification as JSON text."""
def workflows_wait_for_email_verification(core: Core, email: str, *, timeout: Optional[float],
                                          initial_interval: float, max_interval: float, multiplier: float,
                                          on_update: Optional[Callable[[str], object]],
                                          cancel: Optional[StopSource]) -> str:
    """Polls a started verification to its result; the verification as JSON text."""
def workflows_is_terminal_job_status(status: str) -> bool:
    """Whether a background job status is final."""
