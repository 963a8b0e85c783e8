"""Exporting 10,000 scraped businesses as leads, three ways, against one instantly-mock with
100 ms latency per API request and its rate limits on (100/s, 6,000/min, as Instantly's):

  (a) the old pipeline's way: one `POST /api/v2/leads` per lead, then a 100 ms pause. Timed on
      the first 200 leads and extrapolated to 10,000 (it would take over half an hour).
  (b) best-practice pure Python: httpx (Debian's python3-httpx), one keep-alive httpx.Client
      with a real User-Agent, 1,000-lead chunks to `POST /api/v2/leads/add`, one after another.
  (c) this SDK: `client.leads.import_leads(leads, campaign_id=..., concurrency=4)` from Python,
      and `instantly::workflows::LeadImporter` from C++ (bench/export_cpp.cpp, concurrency 4);
      then both again with 10 chunks in flight (--more-concurrency). 10 chunks at concurrency 4
      go out in three waves, so (c) vs (b) is bounded by about 10/3 at that setting.

(b) and the (c) ways run --repeat times (default 3), interleaved so that a slow moment of the
machine falls on all of them alike, and the medians are compared; every run is printed.

Every way gets the same leads (synthetic_businesses.generate(10_000, seed=7) mapped with
format_lead_for_instantly: ~1% invalid and ~1% repeated emails) and a fresh campaign; the lead
mapping and campaign creation are outside the timings. Prints wall times and ratios.

    PYTHONPATH=build/release/python python3 bench/export.py --build build/release
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any, Callable, Dict, List, Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "examples", "python"))

import synthetic_businesses  # noqa: E402
from mock_server import MockServer  # noqa: E402

USER_AGENT = "gmaps-export-bench/1.0 (httpx)"
API_KEY = "bench-key"
SCHEDULE = {"schedules": [{"name": "Weekdays", "timing": {"from": "09:00", "to": "17:00"},
                           "days": {"1": True, "2": True, "3": True, "4": True, "5": True},
                           "timezone": "America/Chicago"}]}


def Mock(binary: str, latency_ms: int, seed: int, extra: Sequence[str] = ()) -> MockServer:
    """instantly-mock with `latency_ms` per request."""
    return MockServer(binary, ["--latency-ms", str(latency_ms), "--seed", str(seed), *extra], api_key=API_KEY,
                      user_agent=USER_AGENT)


def post_with_429(http: Any, path: str, body: Dict[str, Any]) -> Any:
    """What a careful hand-written client does: on 429, wait Retry-After and send again."""
    while True:
        response = http.post(path, json=body)
        if response.status_code != 429:
            return response
        time.sleep(float(response.headers.get("retry-after", "1")))


def way_a_old(httpx: Any, url: str, leads: List[Dict[str, Any]], sample: int) -> Dict[str, Any]:
    statuses: Dict[int, int] = {}
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {API_KEY}", "User-Agent": USER_AGENT},
                      timeout=60) as http:
        campaign = http.post("/api/v2/campaigns", json={"name": "(a) one lead per request",
                                                        "campaign_schedule": SCHEDULE}).json()["id"]
        started = time.perf_counter()
        for lead in leads[:sample]:
            response = post_with_429(http, "/api/v2/leads", {**lead, "campaign": campaign})
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            time.sleep(0.1)  # the old pipeline's pause between leads
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "leads": sample, "statuses": statuses,
            "extrapolated": seconds * len(leads) / sample}


def way_b_httpx(httpx: Any, url: str, leads: List[Dict[str, Any]]) -> Dict[str, Any]:
    uploaded = requests = 0
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {API_KEY}", "User-Agent": USER_AGENT},
                      timeout=60) as http:
        campaign = http.post("/api/v2/campaigns", json={"name": "(b) httpx chunks",
                                                        "campaign_schedule": SCHEDULE}).json()["id"]
        started = time.perf_counter()
        for i in range(0, len(leads), 1000):
            response = post_with_429(http, "/api/v2/leads/add", {"campaign_id": campaign, "leads": leads[i:i + 1000]})
            response.raise_for_status()
            uploaded += int(response.json().get("leads_uploaded", 0))
            requests += 1
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "uploaded": uploaded, "requests": requests}


def way_c_python(instantly: Any, url: str, leads: List[Dict[str, Any]], concurrency: int,
                 validate_requests: bool = True) -> Dict[str, Any]:
    with instantly.Client(api_key=API_KEY, base_url=url, validate_requests=validate_requests) as client:
        campaign = client.campaigns.create(name="(c) SDK from Python", campaign_schedule=SCHEDULE).id
        started = time.perf_counter()
        report = client.leads.import_leads(leads, campaign_id=campaign, concurrency=concurrency)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "uploaded": report.uploaded, "requests": report.requests,
            "accounted": sum(report.counts.values()) == len(leads), "ok": report.ok}


def way_c_cpp(instantly: Any, binary: str, url: str, businesses: List[Dict[str, Any]], concurrency: int) -> Dict[str, Any]:
    with instantly.Client(api_key=API_KEY, base_url=url) as client:
        campaign = client.campaigns.create(name="(c) SDK from C++", campaign_schedule=SCHEDULE).id
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for business in businesses:
            f.write(json.dumps(business) + "\n")
        path = f.name
    try:
        done = subprocess.run([binary, "--base-url", url, "--api-key", API_KEY, "--campaign-id", campaign,
                               "--businesses", path, "--concurrency", str(concurrency)],
                              capture_output=True, text=True, timeout=300)
    finally:
        os.unlink(path)
    if done.returncode != 0:
        raise RuntimeError(f"export_cpp failed ({done.returncode}): {done.stderr.strip()} {done.stdout.strip()}")
    out = json.loads(done.stdout)
    return {"seconds": out["wall_seconds"], "uploaded": out["uploaded"], "requests": out["requests"],
            "accounted": out["accounts_for_every_lead"], "ok": out["ok"]}


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    parser.add_argument("--businesses", type=int, default=10_000)
    parser.add_argument("--old-sample", type=int, default=200, help="leads timed for way (a)")
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--more-concurrency", type=int, default=10,
                        help="also run (c) with this many chunks in flight (10 = every chunk at once); 0: skip")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of (b) and of each (c), interleaved; their medians are compared")
    args = parser.parse_args(argv)

    sys.path.insert(0, os.path.join(args.build, "python"))
    import httpx
    import instantly
    from instantly.workflows import format_lead_for_instantly

    businesses = synthetic_businesses.generate(args.businesses, seed=args.seed)
    leads = [format_lead_for_instantly(b) for b in businesses]
    expected = synthetic_businesses.expected(businesses)
    n = len(leads)
    export_cpp = os.path.join(args.build, "bench", "export_cpp")

    # Every (c) way, by label: run(mock url) -> result.
    sdk_ways: Dict[str, Callable[[str], Dict[str, Any]]] = {}
    for k in (args.concurrency, args.more_concurrency):
        if k and f"Python, concurrency {k}" not in sdk_ways:
            sdk_ways[f"Python, concurrency {k}"] = lambda url, k=k: way_c_python(instantly, url, leads, k)
            sdk_ways[f"C++, concurrency {k}"] = lambda url, k=k: way_c_cpp(instantly, export_cpp, url, businesses, k)
    # The same import without request validation (on by default): what checking each chunk costs.
    validated = f"Python, concurrency {args.concurrency}"
    unvalidated = f"{validated}, validate_requests=False"
    sdk_ways[unvalidated] = lambda url: way_c_python(instantly, url, leads, args.concurrency, validate_requests=False)

    print(f"Export of {n:,} synthetic businesses ({expected['valid']:,} distinct valid emails, "
          f"{expected['duplicates']:,} repeats, {expected['invalid']:,} invalid) into instantly-mock with "
          f"--latency-ms {args.latency_ms}, rate limits on (100/s, 6,000/min); each run into a fresh campaign; "
          f"(b) and (c) run {args.repeat} times, interleaved, and their medians are compared.")
    with Mock(os.path.join(args.build, "tools", "mock", "instantly-mock"), args.latency_ms, args.seed) as mock:
        a = way_a_old(httpx, mock.url, leads, args.old_sample)
        print(f"  (a) old: POST /api/v2/leads per lead + 100 ms pause: {a['leads']} leads in {a['seconds']:.2f} s "
              f"-> {n:,} leads in {a['extrapolated']:,.0f} s (extrapolated; statuses "
              + ", ".join(f"{k}: {v}" for k, v in sorted(a["statuses"].items())) + ")")
        b_runs: List[Dict[str, Any]] = []
        c_runs: Dict[str, List[Dict[str, Any]]] = {label: [] for label in sdk_ways}
        for _ in range(max(1, args.repeat)):
            b_runs.append(way_b_httpx(httpx, mock.url, leads))
            for label, run in sdk_ways.items():
                c_runs[label].append(run(mock.url))

    b = median_seconds(b_runs)
    print(f"  (b) httpx, 1,000-lead chunks, sequential, keep-alive: {b:.3f} s ({runs_text(b_runs)}; "
          f"{b_runs[0]['requests']} requests, {b_runs[0]['uploaded']:,} uploaded)")
    for label, runs in c_runs.items():
        call = "client.leads.import_leads" if label.startswith("Python") else "workflows::LeadImporter"
        print(f"  (c) SDK from {label} ({call}): {median_seconds(runs):.3f} s ({runs_text(runs)}; "
              f"{runs[0]['requests']} requests, {runs[0]['uploaded']:,} uploaded, every lead accounted for: "
              f"{all(r['accounted'] for r in runs)})")

    print("Ratios (median wall time of the slower way / the faster):")
    cost = median_seconds(c_runs[validated]) / median_seconds(c_runs[unvalidated])
    print(f"  request validation: c ({validated}) / c (unvalidated) = {cost:.3f} (target <= 1.03: "
          f"{'met' if cost <= 1.03 else 'NOT met'})")
    for label, runs in c_runs.items():
        if label == unvalidated:
            continue
        c = median_seconds(runs)
        vs_b, vs_a = b / c, a["extrapolated"] / c
        per_run = ", ".join(f"{r_b['seconds'] / r_c['seconds']:.2f}" for r_b, r_c in zip(b_runs, runs))
        print(f"  c ({label}) vs b: {vs_b:.2f}x faster (per run: {per_run}; target >= 3x: "
              f"{'met' if vs_b >= 3 else 'NOT met'}); vs a (extrapolated): {vs_a:,.0f}x faster "
              f"(target >= 1000x: {'met' if vs_a >= 1000 else 'NOT met'}); {n:,} leads in under 1 s: "
              f"{'yes' if c < 1 else 'no'}")
    uploads = {r["uploaded"] for r in b_runs} | {r["uploaded"] for runs in c_runs.values() for r in runs}
    if uploads != {expected["valid"]}:
        print(f"  WARNING: uploads differ from the {expected['valid']:,} distinct valid emails: {sorted(uploads)}")
    return 0


def median_seconds(runs: List[Dict[str, Any]]) -> float:
    return statistics.median(r["seconds"] for r in runs)


def runs_text(runs: List[Dict[str, Any]]) -> str:
    return "runs: " + ", ".join(f"{r['seconds']:.3f}" for r in runs)


if __name__ == "__main__":
    sys.exit(main())
