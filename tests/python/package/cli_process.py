"""Runs the `instantly` command as users do: a separate process (`python -m instantly.cli`), with
the package from the build tree (or the installed one when INSTANTLY_PYTHON_DIR is empty), a clean
environment (no INSTANTLY_* settings of the machine, a private config directory) and the mock's URL."""
from __future__ import annotations

import os
import subprocess
import sys
from typing import Dict, List, Optional

import pytest

from conftest import PYTHON_DIR, TEST_KEY
from mock_process import MockProcess


def cli_env(mock_url: Optional[str], config_home: str, key: Optional[str] = TEST_KEY,
            **extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSTANTLY_")}
    env.update(PYTHONDONTWRITEBYTECODE="1", XDG_CONFIG_HOME=config_home, COLUMNS="200")
    if PYTHON_DIR:
        env["PYTHONPATH"] = PYTHON_DIR
    if mock_url:
        env["INSTANTLY_BASE_URL"] = mock_url
    if key is not None:
        env["INSTANTLY_API_KEY"] = key
    env.update(extra)
    return env


def cli_command(*args: str) -> List[str]:
    return [sys.executable, "-m", "instantly.cli", *args]


def run_cli(env: Dict[str, str], *args: str, stdin: Optional[str] = None,
            timeout: float = 60) -> subprocess.CompletedProcess:
    """Runs one command; asserts what every run must keep: no traceback, and the API key never
    printed (TEST_KEY is the only key the tests use)."""
    result = subprocess.run(cli_command(*args), env=env, input=stdin, capture_output=True, text=True,
                            timeout=timeout)
    assert "Traceback" not in result.stderr, result.stderr
    assert TEST_KEY not in result.stdout and TEST_KEY not in result.stderr
    if result.returncode != 0:
        # One line saying what went wrong, in the same shape for every error.
        assert "instantly: error: " in result.stderr or result.returncode == 130, result.stderr
    return result


# Fixtures for test modules of the command line; they import them by name
# (`from cli_process import cli_mock, env`).

@pytest.fixture(scope="module")
def cli_mock():
    # --api-key: any other key is a 401, as with the real API.
    with MockProcess(["--no-rate-limit", "--api-key", TEST_KEY]) as process:
        yield process


@pytest.fixture
def env(cli_mock, tmp_path):
    """The environment of a command against a freshly reset mock, with a private config directory."""
    cli_mock.request("POST", "/__mock/reset", {}, headers={"Authorization": f"Bearer {TEST_KEY}"})
    return cli_env(cli_mock.url, str(tmp_path / "config"))
