"""instantly.workflows pollers against instantly-mock: background jobs (warmup enable) and single
email verifications, their timeouts, cancellation (CancelToken and Ctrl-C) and the GIL.

Waits here are real but short (intervals of 10-50 ms); jobs are steered with
POST /__mock/jobs/{id}/state and verifications by their address (docs/mock.md)."""
from __future__ import annotations

import os
import signal
import threading

import pytest

from conftest import CounterThread

FAST = {"initial_interval": 0.01, "max_interval": 0.05}


def calls(mock, operation: str) -> int:
    status, stats, _ = mock.request("GET", "/__mock/stats")
    assert status == 200
    return stats["operations"].get(operation, 0)


def start_job(client):
    return client.accounts.enable_warmup(include_all_emails=True)


def steer(mock, job_id: str, **course) -> None:
    status, answer, _ = mock.request("POST", f"/__mock/jobs/{job_id}/state", course)
    assert status == 200, answer


def test_a_job_reaches_success_and_comes_back_typed(client, mock):
    from instantly import workflows
    from instantly.types.background_job import BackgroundJob
    job = start_job(client)
    seen = []
    final = workflows.wait_for_background_job(client, job, on_update=lambda j: seen.append(j.status), **FAST)
    assert isinstance(final, BackgroundJob)
    assert final.id == job.id
    assert workflows.job_succeeded(final) and workflows.job_finished(final)
    assert seen == ["in-progress", "success"]
    assert all(isinstance(j, str) or hasattr(j, "value") for j in seen)
    assert calls(mock, "getBackgroundJob") == 2


def test_a_job_id_works_as_well_as_the_job(client):
    from instantly import workflows
    job = start_job(client)
    assert workflows.job_succeeded(workflows.wait_for_background_job(client, job.id, **FAST))


def test_a_stuck_job_times_out_with_its_last_status(client, mock):
    import instantly
    from instantly import workflows
    job = start_job(client)
    steer(mock, job.id, status="in-progress", progress=30)
    with pytest.raises(workflows.PollTimeoutError) as raised:
        workflows.wait_for_background_job(client, job, timeout=0.3, **FAST)
    error = raised.value
    assert isinstance(error, workflows.PollError) and isinstance(error, instantly.Error)
    assert error.last_status == "in-progress"
    assert error.polls == calls(mock, "getBackgroundJob") >= 2
    assert job.id in str(error)


def test_a_failed_job_is_returned_not_raised(client, mock):
    from instantly import workflows
    job = start_job(client)
    steer(mock, job.id, status="in-progress", error="quota exceeded", finish_after_polls=2, outcome="failed")
    final = workflows.wait_for_background_job(client, job, **FAST)
    assert final.status == "failed"
    assert workflows.job_finished(final) and not workflows.job_succeeded(final)
    assert final.data.to_dict()["error"] == "quota exceeded"


def test_terminal_statuses():
    from instantly import workflows
    for status in ("success", "completed", "failed", "error", "cancelled"):
        assert workflows.is_terminal_job_status(status)
    for status in ("pending", "in-progress", "paused", "draining", "something-new"):
        assert not workflows.is_terminal_job_status(status)


def test_a_cancel_token_ends_a_long_wait_from_another_thread(client, mock):
    from instantly import workflows
    job = start_job(client)
    steer(mock, job.id, status="in-progress")
    token = workflows.CancelToken()
    outcome = {}

    def wait():
        try:
            # Cancelled from yet another thread once the first poll is in, during the minute's sleep.
            workflows.wait_for_background_job(
                client, job, timeout=120, initial_interval=60, max_interval=60, cancel=token,
                on_update=lambda _: threading.Timer(0.05, token.cancel).start())
        except workflows.PollCancelledError as error:
            outcome["error"] = error

    waiter = threading.Thread(target=wait)
    waiter.start()
    waiter.join(timeout=10)  # a bound for a broken test only: the wait itself is a minute
    assert not waiter.is_alive()
    assert token.cancelled
    assert outcome["error"].last_status == "in-progress" and outcome["error"].polls == 1


def test_a_cancelled_token_stops_a_wait_before_its_first_poll(client, mock):
    from instantly import workflows
    token = workflows.CancelToken()
    token.cancel()
    with pytest.raises(workflows.PollCancelledError) as raised:
        workflows.wait_for_background_job(client, "any-id", cancel=token)
    assert raised.value.polls == 0 and raised.value.last_status is None
    assert calls(mock, "getBackgroundJob") == 0


def test_ctrl_c_interrupts_a_wait_at_once(client, mock):
    from instantly import workflows
    job = start_job(client)
    steer(mock, job.id, status="in-progress")
    timers = []

    def interrupt_soon(_job) -> None:  # after the first poll, during the minute's sleep
        timers.append(threading.Timer(0.05, lambda: os.kill(os.getpid(), signal.SIGINT)))
        timers[-1].start()

    with pytest.raises(KeyboardInterrupt):
        workflows.wait_for_background_job(client, job, timeout=120, initial_interval=60, max_interval=60,
                                          on_update=interrupt_soon)
    for timer in timers:
        timer.join()
    # The poller stopped with the interrupt: no poll happens after it.
    polls = calls(mock, "getBackgroundJob")
    assert polls == 1


def test_the_gil_is_released_while_waiting(client, mock):
    from instantly import workflows
    job = start_job(client)
    steer(mock, job.id, status="in-progress")
    with CounterThread() as counter:
        before = counter.count
        with pytest.raises(workflows.PollTimeoutError):
            workflows.wait_for_background_job(client, job, timeout=0.3, initial_interval=0.1, max_interval=0.1)
        during = counter.count - before
    assert during > 1000, f"the counter thread only ran {during} times during a 0.3 s wait"


def test_an_exception_in_on_update_ends_the_wait(client, mock):
    from instantly import workflows
    job = start_job(client)
    steer(mock, job.id, status="in-progress")

    def explode(_job):
        raise ValueError("stop here")

    with pytest.raises(ValueError, match="stop here"):
        workflows.wait_for_background_job(client, job, on_update=explode, **FAST)
    assert calls(mock, "getBackgroundJob") == 1


def test_bad_schedules_are_validation_errors(client, mock):
    import instantly
    from instantly import workflows
    for bad in ({"initial_interval": 0}, {"initial_interval": 2, "max_interval": 1}, {"multiplier": 0.5},
                {"timeout": 0}, {"timeout": -1}):
        with pytest.raises(instantly.ValidationError):
            workflows.wait_for_background_job(client, "job", **bad)
    with pytest.raises(instantly.ValidationError):
        workflows.verify_email(client, "not-an-address")
    assert calls(mock, "getBackgroundJob") == 0


def test_an_unknown_job_is_not_found(client):
    import instantly
    from instantly import workflows
    with pytest.raises(instantly.NotFoundError):
        workflows.wait_for_background_job(client, "019a0000-0000-7000-8000-0000000000ff", **FAST)


def test_verify_email_end_to_end(client, mock):
    from instantly import workflows
    from instantly.types.email_verification import EmailVerification
    seen = []
    result = workflows.verify_email(client, "jane@example.com", on_update=lambda v: seen.append(v.verification_status),
                                    **FAST)
    assert isinstance(result, EmailVerification)
    assert result.verification_status == "verified" and result.catch_all is False
    assert workflows.verification_finished(result)
    assert seen == ["pending", "pending", "pending", "verified"]
    assert calls(mock, "createEmailVerification") == 1 and calls(mock, "checkVerificationStatus") == 3


def test_verification_results_follow_the_address(client):
    from instantly import workflows
    assert workflows.verify_email(client, "invalid.person@example.com", **FAST).verification_status == "invalid"
    assert workflows.verify_email(client, "catchall@example.com", **FAST).catch_all is True


def test_a_pending_verification_times_out(client):
    from instantly import workflows
    with pytest.raises(workflows.PollTimeoutError) as raised:
        workflows.verify_email(client, "pending.forever@example.com", timeout=0.2, **FAST)
    assert raised.value.last_status == "pending"


def test_an_immediate_result_is_one_call(client, mock):
    from instantly import workflows
    status, _, _ = mock.request("POST", "/__mock/email-verification", {"pending_answers": 0})
    assert status == 200
    assert workflows.verify_email(client, "quick@example.com").verification_status == "verified"
    assert calls(mock, "createEmailVerification") == 1 and calls(mock, "checkVerificationStatus") == 0


def test_wait_for_email_verification_only_checks(client, mock):
    from instantly import workflows
    assert workflows.wait_for_email_verification(client, "later@example.com", **FAST).verification_status == "verified"
    assert calls(mock, "createEmailVerification") == 0
