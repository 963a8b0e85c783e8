"""`instantly import` against instantly-mock: broken rows named by line (nothing sent, or skipped
and reported), the report, and Ctrl-C in the middle of an import against a slow mock, then the
same command again: every lead ends up in the campaign exactly once."""
from __future__ import annotations

import json
import signal
import subprocess

import pytest

from cli_process import cli_command, cli_env, run_cli
from conftest import SCHEDULE, TEST_KEY
from mock_process import MockProcess


def api(mock, method, path, body=None):
    status, answer, _ = mock.request(method, path, body, headers={"Authorization": f"Bearer {TEST_KEY}"})
    assert 200 <= status < 300, (status, answer)
    return answer


def campaign_leads(mock, campaign_id: str) -> list:
    emails, cursor = [], None
    while True:
        body = {"campaign": campaign_id, "limit": 100, **({"starting_after": cursor} if cursor else {})}
        page = api(mock, "POST", "/api/v2/leads/list", body)
        emails += [lead["email"] for lead in page["items"]]
        cursor = page.get("next_starting_after")
        if not page["items"] or not cursor:
            return emails


@pytest.fixture(scope="module")
def import_mock():
    with MockProcess(["--no-rate-limit"]) as process:
        yield process


@pytest.fixture
def setup(import_mock, tmp_path):
    api(import_mock, "POST", "/__mock/reset")
    campaign = api(import_mock, "POST", "/api/v2/campaigns", {"name": "Imports", "campaign_schedule": SCHEDULE})
    return cli_env(import_mock.url, str(tmp_path / "config")), campaign["id"]


BUSINESS_HEADER = b"name,email,category,city,state,rating\n"


def business(i: int) -> bytes:
    return f"Cafe {i},info{i}@cafe{i}.example.com,cafe,Austin,TX,4.{i % 10}\n".encode()


def broken_csv(path) -> None:
    path.write_bytes(BUSINESS_HEADER + business(0) + business(1)
                     + b"Half a row,half@example.com\n"                          # line 4: 2 fields
                     + b"Bad Mail,not-an-email,cafe,Austin,TX,4.5\n"             # line 5
                     + business(2)
                     + b"Caf\xe9 Latin-1,latin@example.com,cafe,Austin,TX,4\n"   # line 7: not UTF-8
                     + b",nameless@example.com,cafe,Austin,TX,4\n"               # line 8: no name
                     + business(3))


def test_broken_rows_stop_the_import_before_anything_is_sent(setup, import_mock, tmp_path):
    env, campaign_id = setup
    source = tmp_path / "businesses.csv"
    broken_csv(source)
    report = tmp_path / "report.json"
    result = run_cli(env, "import", str(source), "--campaign", campaign_id, "--report", str(report))
    assert result.returncode == 2
    for line, why in ((4, "2 fields, the header has 6"), (5, "not-an-email"), (7, "not UTF-8"), (8, "name")):
        assert f"{source}:{line}: " in result.stderr and why in result.stderr
    assert "nothing was sent" in result.stderr and "--skip-bad-rows" in result.stderr
    assert campaign_leads(import_mock, campaign_id) == []
    assert [p["line"] for p in json.loads(report.read_text())["problems"]] == [4, 5, 7, 8]


def test_skip_bad_rows_imports_the_rest_and_reports_every_line(setup, import_mock, tmp_path):
    env, campaign_id = setup
    source = tmp_path / "businesses.csv"
    broken_csv(source)
    report = tmp_path / "report.json"
    result = run_cli(env, "import", str(source), "--campaign", campaign_id, "--skip-bad-rows",
                     "--report", str(report), "-o", "json")
    assert result.returncode == 2  # something was rejected as bad input
    summary = json.loads(result.stdout)
    assert summary["sent"] == 4 and summary["bad_rows"] == 4 and summary["invalid"] == 4
    assert sorted(campaign_leads(import_mock, campaign_id)) == sorted(f"info{i}@cafe{i}.example.com" for i in range(4))
    full = json.loads(report.read_text())
    assert {row["line"]: row["outcome"] for row in full["every_row"]} == {2: "uploaded", 3: "uploaded",
                                                                         6: "uploaded", 9: "uploaded"}
    assert {p["line"] for p in full["problems"]} == {4, 5, 7, 8}
    # The business → lead mapping of the old pipeline.
    lead = api(import_mock, "POST", "/api/v2/leads/list", {"campaign": campaign_id, "search": "info0@"})["items"][0]
    assert lead["first_name"] == "Cafe 0" and lead["last_name"] == "Team"

    again = run_cli(env, "import", str(source), "--campaign", campaign_id, "--skip-bad-rows", "-o", "json")
    assert json.loads(again.stdout)["chunks_resumed"] == 1  # the checkpoint next to the file: nothing re-sent
    assert len(campaign_leads(import_mock, campaign_id)) == 4


def test_json_lines_of_leads_and_a_missing_file(setup, import_mock, tmp_path):
    env, campaign_id = setup
    source = tmp_path / "leads.jsonl"
    source.write_text("".join(json.dumps({"email": f"p{i}@example.com", "first_name": f"P{i}", "tier": "gold"}) + "\n"
                              for i in range(5)) + "\n")
    result = run_cli(env, "import", str(source), "--campaign", campaign_id, "-o", "table")
    assert result.returncode == 0, result.stderr
    assert any(line.split() == ["sent", "5"] for line in result.stdout.splitlines())
    assert len(campaign_leads(import_mock, campaign_id)) == 5

    missing = run_cli(env, "import", str(tmp_path / "nope.csv"), "--campaign", campaign_id)
    assert missing.returncode == 2 and "nope.csv" in missing.stderr
    no_target = run_cli(env, "import", str(source))
    assert no_target.returncode == 2 and "--campaign" in no_target.stderr


def test_ctrl_c_then_the_same_command_resumes_and_sends_nothing_twice(tmp_path):
    leads = 1000
    source = tmp_path / "leads.csv"
    source.write_text("email,first_name,company_name\n"
                      + "".join(f"lead{i}@example.com,L{i},Co{i}\n" for i in range(leads)))
    with MockProcess(["--no-rate-limit", "--latency-ms", "100"]) as slow:
        campaign_id = api(slow, "POST", "/api/v2/campaigns", {"name": "Slow", "campaign_schedule": SCHEDULE})["id"]
        env = cli_env(slow.url, str(tmp_path / "config"))
        command = cli_command("import", str(source), "--campaign", campaign_id, "--chunk-size", "50",
                              "--concurrency", "1", "--progress", "lines", "-o", "json")
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        first = process.stderr.readline()   # the first chunk was accepted
        assert "import: 50/1000" in first, first
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
        assert process.returncode == 130, err
        assert "Traceback" not in err and "run the same command again" in err
        interrupted_at = len(campaign_leads(slow, campaign_id))
        assert 50 <= interrupted_at < leads

        resumed = run_cli(env, *command[3:])
        assert resumed.returncode == 0, resumed.stderr
        summary = json.loads(resumed.stdout)
        assert summary["chunks_resumed"] * 50 == interrupted_at
        assert summary["duplicates"] == 0 and summary["failed"] == 0 and summary["sent"] == leads
        emails = campaign_leads(slow, campaign_id)
        assert len(emails) == leads and len(set(emails)) == leads
        assert (tmp_path / "leads.csv.checkpoint").exists()
