"""The `instantly` command against instantly-mock, run as a separate process like users run it:
the generated commands (create/get/list/--all/delete, enums, booleans, lists, JSON bodies), help at
every level, JSON and table output, exit codes by error class, the config file and its
permissions, and the API key never appearing in any output (cli_process.run_cli checks every run).
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import stat

import pytest

from cli_process import cli_mock, env, run_cli  # cli_mock, env: fixtures
from conftest import SCHEDULE, TEST_KEY




def api(mock, method, path, body=None):
    status, answer, _ = mock.request(method, path, body, headers={"Authorization": f"Bearer {TEST_KEY}"})
    assert 200 <= status < 300, (status, answer)
    return answer


def sent_requests(mock) -> int:
    return api(mock, "GET", "/__mock/stats")["total"]


def create_campaign(env, name: str) -> dict:
    result = run_cli(env, "campaigns", "create", "--name", name, "--campaign-schedule", json.dumps(SCHEDULE),
                     "-o", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# ---- help -----------------------------------------------------------------------------------

def test_help_at_every_level_is_made_from_the_operations(env):
    top = run_cli(env, "--help")
    assert top.returncode == 0
    for word in ("campaigns", "email-verifications", "import", "sync", "config", "Exit codes"):
        assert word in top.stdout

    resource = run_cli(env, "accounts", "--help")
    assert resource.returncode == 0
    assert "GET /api/v2/accounts/{email}" in resource.stdout       # a generated method, from its docstring
    assert "health" in resource.stdout and "get-daily-analytics" in resource.stdout

    method = run_cli(env, "campaigns", "list", "--help")
    assert method.returncode == 0
    assert "GET /api/v2/campaigns" in method.stdout
    assert "--limit INT" in method.stdout and "--starting-after TEXT" in method.stdout
    assert "draft=0" in method.stdout and "active=1" in method.stdout   # the enum's members
    assert "--all" in method.stdout and "--json BODY" in method.stdout
    assert "extra-headers" not in method.stdout and "--extra" not in method.stdout

    create = run_cli(env, "campaigns", "create", "--help")
    assert "--text-only, --no-text-only" in create.stdout
    assert "JSON object (CampaignSchedule)" in create.stdout
    assert "--email-list TEXT" in create.stdout and "repeat the flag" in create.stdout

    assert run_cli(env, "--version").stdout.startswith("instantly ")


def test_every_generated_operation_is_a_command_with_its_parameters_as_flags():
    """All 240 operations, in process (a subprocess each would take a minute): each has a command
    whose help lists a flag per keyword parameter and an argument per path parameter."""
    from instantly.cli import main
    from instantly.cli.operations import command_name, operations, resources

    count = 0
    for resource in resources():
        names = {op.command for op in operations(resource)}
        assert not names & {"health", "listen"}, "a generated method shadows a workflow command"
        for op in operations(resource):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                assert main([command_name(resource), op.command, "--help"]) == 0
            text = out.getvalue()
            for param in op.keywords:
                assert param.flag in text, (resource, op.name, param.name)
            for param in op.positional:
                assert param.api_name.upper() in text
            count += 1
    assert count == 240


# ---- generated commands ---------------------------------------------------------------------

def test_create_get_list_all_and_delete(env, cli_mock, tmp_path):
    body = tmp_path / "campaign.json"
    body.write_text(json.dumps({"name": "From the file", "campaign_schedule": SCHEDULE,
                                "email_list": ["a@sender.example.com"]}))
    # --json from a file; flags win over it (name), lists by repeating the flag.
    result = run_cli(env, "campaigns", "create", "--json", f"@{body}", "--name", "Cafes Austin",
                     "--email-list", "b@sender.example.com", "--email-list", "c@sender.example.com", "--text-only")
    assert result.returncode == 0, result.stderr
    created = json.loads(result.stdout)  # stdout is a pipe: JSON by default
    assert created["name"] == "Cafes Austin"
    assert created["email_list"] == ["b@sender.example.com", "c@sender.example.com"]
    assert created["text_only"] is True
    assert created["campaign_schedule"] == SCHEDULE

    got = json.loads(run_cli(env, "campaigns", "get", created["id"]).stdout)
    assert got["id"] == created["id"] and got["name"] == "Cafes Austin"

    for i in range(4):
        create_campaign(env, f"Campaign {i}")
    first_page = json.loads(run_cli(env, "campaigns", "list", "--limit", "2").stdout)
    assert len(first_page) == 2
    everything = json.loads(run_cli(env, "campaigns", "list", "--limit", "2", "--all").stdout)
    assert len(everything) == 5 and len({c["id"] for c in everything}) == 5

    # The Python spellings work too.
    snake = json.loads(run_cli(env, "campaigns", "list", "--search", "Cafes", "--starting_after",
                               "00000000-0000-0000-0000-000000000000").stdout)
    assert [c["name"] for c in snake] == ["Cafes Austin"]

    deleted = run_cli(env, "campaigns", "delete", created["id"])
    assert deleted.returncode == 0 and json.loads(deleted.stdout)["id"] == created["id"]
    gone = run_cli(env, "campaigns", "get", created["id"])
    assert gone.returncode == 4
    assert "404" in gone.stderr and created["id"] in gone.stderr


def test_enum_flags_take_names_or_values(env):
    create_campaign(env, "A draft")
    drafts = json.loads(run_cli(env, "campaigns", "list", "--status", "draft").stdout)
    assert [c["name"] for c in drafts] == ["A draft"]
    assert json.loads(run_cli(env, "campaigns", "list", "--status", "0").stdout) == drafts
    assert json.loads(run_cli(env, "campaigns", "list", "--status", "ACTIVE").stdout) == []
    bad = run_cli(env, "campaigns", "list", "--status", "sleeping")
    assert bad.returncode == 2
    assert "--status" in bad.stderr and "draft=0" in bad.stderr and "'sleeping'" in bad.stderr


def test_bad_input_exits_2_naming_the_flag_and_sends_nothing(env, cli_mock, tmp_path):
    before = sent_requests(cli_mock)
    cases = [
        (("campaigns", "list", "--limit", "ten"), ["--limit", "integer", "'ten'"]),
        (("campaigns", "list", "--limmit", "5"), ["unrecognized", "--limmit"]),
        (("campaigns", "create", "--name", "x"), ["missing", "--campaign-schedule"]),
        (("campaigns", "create", "--name", "x", "--campaign-schedule", "[1]"), ["--campaign-schedule", "JSON object"]),
        (("campaigns", "create", "--json", "{not json"), ["--json", "not valid JSON"]),
        (("campaigns", "create", "--json", '{"nmae": "x"}'), ["--json", "'nmae'"]),
        (("campaigns", "create", "--json", f"@{tmp_path}/missing.json"), ["--json", "missing.json"]),
        (("campaigns", "get"), ["ID"]),
        (("campaigns", "fly"), ["fly"]),
        (("campaigns", "update", "x", "--daily-limit", "lots"), ["--daily-limit", "number"]),
        (("--timeout", "soon", "campaigns", "list"), ["--timeout"]),
    ]
    for args, words in cases:
        result = run_cli(env, *args)
        assert result.returncode == 2, (args, result.stderr)
        line = result.stderr.strip().splitlines()[-1]
        assert line.startswith("instantly: error: ")
        for word in words:
            assert word in line, (args, line)
    assert sent_requests(cli_mock) == before


def test_a_request_the_api_would_refuse_exits_2_unsent_unless_no_validate(env, cli_mock):
    before = sent_requests(cli_mock)
    refused = run_cli(env, "campaigns", "list", "--limit", "0")
    assert refused.returncode == 2, refused.stderr
    assert "query.limit must be at least 1 (got 0)" in refused.stderr
    assert sent_requests(cli_mock) == before
    # --no-validate: the API (here the mock) judges it, and says 400.
    sent = run_cli(env, "--no-validate", "campaigns", "list", "--limit", "0")
    assert sent.returncode == 1 and "400" in sent.stderr, sent.stderr
    assert sent_requests(cli_mock) == before + 1


def test_json_and_table_output(env):
    campaign = create_campaign(env, "Table me")
    as_json = run_cli(env, "campaigns", "list", "-o", "json")
    assert json.loads(as_json.stdout)[0]["id"] == campaign["id"]

    table = run_cli(env, "campaigns", "list", "--output", "table").stdout.splitlines()
    header = table[0].split()
    assert header[:3] == ["ID", "NAME", "STATUS"]
    assert table[1].startswith(campaign["id"]) and "Table me" in table[1]
    assert "campaign_schedule".upper() not in header   # nested objects stay out of list tables

    one = run_cli(env, "campaigns", "get", campaign["id"], "-o", "table").stdout
    assert any(line.split()[:2] == ["name", "Table"] for line in one.splitlines())
    assert "(no results)" in run_cli(env, "campaigns", "list", "--search", "nothing like it", "-o", "table").stdout


def test_exit_codes_by_error_class(env, cli_mock):
    wrong_key = run_cli({**env, "INSTANTLY_API_KEY": "sk-wrong-key-000000000"}, "campaigns", "list")
    assert wrong_key.returncode == 3 and "401" in wrong_key.stderr
    assert "sk-wrong-key-000000000" not in wrong_key.stderr

    def inject(status: int) -> None:
        api(cli_mock, "POST", "/__mock/responses", {"status": status, "path": "/api/v2/campaigns", "times": 10,
                                                    "headers": {"Retry-After": "0"},
                                                    "body": {"statusCode": status, "error": "Injected",
                                                             "message": "injected by the test"}})

    inject(403)
    assert run_cli(env, "campaigns", "list").returncode == 3
    api(cli_mock, "POST", "/__mock/reset")
    inject(429)
    limited = run_cli(env, "campaigns", "list")
    assert limited.returncode == 5 and "429" in limited.stderr
    api(cli_mock, "POST", "/__mock/reset")
    inject(500)
    failed = run_cli(env, "campaigns", "list")
    assert failed.returncode == 1 and "500" in failed.stderr
    api(cli_mock, "POST", "/__mock/reset")

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    unreachable = run_cli(env, "--base-url", closed, "--timeout", "5", "campaigns", "list")
    assert unreachable.returncode == 6

    no_key = run_cli({k: v for k, v in env.items() if k != "INSTANTLY_API_KEY"}, "campaigns", "list")
    assert no_key.returncode == 2 and "INSTANTLY_API_KEY" in no_key.stderr


def test_the_key_is_never_shown_even_verbose_or_failing(env, cli_mock):
    campaign = create_campaign(env, "Secret keeper")
    for args in (("-v", "campaigns", "get", campaign["id"]), ("--verbose", "campaigns", "get", "nope"),
                 ("-v", "config", "show"), ("campaigns", "create", "--help")):
        result = run_cli(env, *args)  # run_cli asserts TEST_KEY is in neither stream
        assert result.stdout or result.stderr
    verbose = run_cli(env, "-v", "campaigns", "list")
    assert "API key from INSTANTLY_API_KEY" in verbose.stderr


# ---- config file ----------------------------------------------------------------------------

def test_config_file_mode_0600_is_used_and_0644_refused(env, tmp_path):
    no_env_key = {k: v for k, v in env.items() if k != "INSTANTLY_API_KEY"}
    saved = run_cli(no_env_key, "config", "set-key", stdin=TEST_KEY + "\n")
    assert saved.returncode == 0, saved.stderr
    path = tmp_path / "config" / "instantly" / "config.toml"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert str(path) in saved.stderr

    listed = run_cli(no_env_key, "-v", "campaigns", "list")
    assert listed.returncode == 0, listed.stderr
    assert f"API key from {path}" in listed.stderr

    os.chmod(path, 0o644)
    refused = run_cli(no_env_key, "campaigns", "list")
    assert refused.returncode == 2
    assert str(path) in refused.stderr and f"chmod 600 {path}" in refused.stderr
    os.chmod(path, 0o600)

    # INSTANTLY_API_KEY wins over the file: a wrong key in the environment is used (and fails)...
    assert run_cli({**no_env_key, "INSTANTLY_API_KEY": "sk-wrong-key-000000000"}, "campaigns", "list").returncode == 3
    # ...and a right one works over a wrong file.
    path.write_text('api_key = "sk-wrong-key-000000000"\n')
    assert run_cli(env, "campaigns", "list").returncode == 0
    assert run_cli(no_env_key, "campaigns", "list").returncode == 3

    path.write_text('apikey = "x"\n')
    typo = run_cli(no_env_key, "campaigns", "list")
    assert typo.returncode == 2 and "apikey" in typo.stderr


# ---- workflows ------------------------------------------------------------------------------

SENDER = "sam@sender.example.com"


def test_accounts_health_and_sync_analytics(env, cli_mock, tmp_path):
    api(cli_mock, "POST", "/api/v2/accounts", {
        "email": SENDER, "first_name": "Sam", "last_name": "Sender", "provider_code": 2,
        "imap_username": SENDER, "imap_password": "x", "imap_host": "imap.example.com", "imap_port": 993,
        "smtp_username": SENDER, "smtp_password": "x", "smtp_host": "smtp.example.com", "smtp_port": 587})
    api(cli_mock, "POST", f"/__mock/accounts/{SENDER}/state", {"vitals": {"spf": False}})

    health = run_cli(env, "accounts", "health", "-o", "json")
    assert health.returncode == 0, health.stderr
    [result] = json.loads(health.stdout)
    assert result["email"] == SENDER and result["level"] == "critical"
    assert "spf_failing" in [reason["code"] for reason in result["reasons"]]
    table = run_cli(env, "accounts", "health", "-o", "table").stdout.splitlines()
    assert table[0].split()[:2] == ["EMAIL", "LEVEL"] and "spf_failing" in table[1]
    failing = run_cli(env, "accounts", "health", "--fail-on", "critical")
    assert failing.returncode == 1 and SENDER in failing.stderr
    # The generated account commands are still there next to `health`.
    assert json.loads(run_cli(env, "accounts", "get", SENDER).stdout)["email"] == SENDER

    campaign = create_campaign(env, "Analysed")
    state = tmp_path / "analytics.json"
    first = run_cli(env, "sync", "analytics", "--campaign", campaign["id"], "--state", str(state), "-o", "json")
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert [s["campaign_id"] for s in data["snapshots"]] == [campaign["id"]]
    assert data["deltas"][0]["first_seen"] is True
    second = json.loads(run_cli(env, "sync", "analytics", "--campaign", campaign["id"], "--state", str(state)).stdout)
    assert second["deltas"][0]["first_seen"] is False  # compared with the state file of the first run
    table = run_cli(env, "sync", "analytics", "-o", "table").stdout.splitlines()
    assert table[0].split()[:2] == ["CAMPAIGN_ID", "CAMPAIGN_NAME"] and "Analysed" in table[1]


def test_installed_console_script_when_pip_installed():
    """With the package pip-installed (INSTANTLY_PYTHON_DIR empty), `instantly` is on the venv's PATH."""
    from conftest import PYTHON_DIR
    import subprocess
    import sys
    if PYTHON_DIR:
        pytest.skip("the package comes from the build tree, which has no console script")
    script = os.path.join(os.path.dirname(sys.executable), "instantly")
    result = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and result.stdout.startswith("instantly ")
