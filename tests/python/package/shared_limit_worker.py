"""One export worker of test_shared_rate_limit.py, as its own process: imports `count` leads
into a campaign one lead per request, with or without the shared limiter, and prints its report's
counts as JSON.

    python3 shared_limit_worker.py BASE_URL API_KEY CAMPAIGN_ID BACKEND PREFIX COUNT
"""
from __future__ import annotations

import json
import sys

import instantly


def main() -> None:
    base_url, api_key, campaign_id, backend, prefix, count = sys.argv[1:7]
    with instantly.Client(api_key=api_key, base_url=base_url, max_retries=8,
                          rate_limit_backend=None if backend == "local" else backend) as client:
        report = client.leads.import_leads(
            ({"email": f"{prefix}-{i}@example.com", "first_name": f"Lead {i}"} for i in range(int(count))),
            campaign_id=campaign_id, chunk_size=1, concurrency=8, total=int(count), keep_outcomes=False)
    print(json.dumps({"uploaded": report.count("uploaded"), "failed": report.count("failed"),
                      "total": report.total}))


if __name__ == "__main__":
    main()
