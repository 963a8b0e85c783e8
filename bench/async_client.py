"""instantly.AsyncClient against httpx.AsyncClient (Debian's python3-httpx), the usual asyncio
HTTP client, both against one instantly-mock in this run: N GET calls (--calls, default 1,000)
from asyncio with C of them in flight at once (--concurrency, default 100).

  * instantly: `await client.campaigns.get(id)` through one AsyncClient (the C++ core does the
    HTTP on its pooled worker threads; the answer is decoded into a typed Campaign).
  * httpx: `await http.get(f"/api/v2/campaigns/{id}")` then `.json()` through one AsyncClient
    with keep-alive connections enough for C (a dict, no model).

Both check every answer (status 200, the campaign's id). The mock runs without its rate limits
(the point is the client's own cost, not Instantly's budget) and with --threads above C, so no
request waits for a server thread. Each latency (--latency-ms, default "0,20") gets --repeat
interleaved runs per client (default 3); the medians are compared. ratio = httpx seconds /
instantly seconds: above 1, instantly is faster. The machine's cores are shared by the mock and
the client; a busy machine lowers both.

    PYTHONPATH=build/release/python /usr/bin/python3 bench/async_client.py --build build/release
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from typing import Any, Awaitable, Callable, List

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import API_KEY, ROOT, SCHEDULE, USER_AGENT, Mock  # noqa: E402


async def gather_limited(calls: int, concurrency: int, one: Callable[[int], Awaitable[None]]) -> float:
    """Runs `one(i)` for every i < calls, `concurrency` at a time; the seconds it took."""
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(calls):
        queue.put_nowait(i)

    async def worker() -> None:
        while not queue.empty():
            await one(queue.get_nowait())

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


async def run_instantly(instantly: Any, url: str, campaign_id: str, calls: int, concurrency: int) -> float:
    async with instantly.AsyncClient(api_key=API_KEY, base_url=url, rate_limit=False) as client:
        await client.campaigns.get(campaign_id)  # warm: connection and DNS caches, as httpx gets below

        async def one(_: int) -> None:
            campaign = await client.campaigns.get(campaign_id)
            assert campaign.id == campaign_id

        return await gather_limited(calls, concurrency, one)


async def run_httpx(httpx: Any, url: str, campaign_id: str, calls: int, concurrency: int) -> float:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60,
                                 headers={"Authorization": f"Bearer {API_KEY}", "User-Agent": USER_AGENT}) as http:
        (await http.get(f"/api/v2/campaigns/{campaign_id}")).raise_for_status()

        async def one(_: int) -> None:
            response = await http.get(f"/api/v2/campaigns/{campaign_id}")
            assert response.status_code == 200 and response.json()["id"] == campaign_id

        return await gather_limited(calls, concurrency, one)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--latency-ms", default="0,20", help="comma-separated; one comparison each")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    sys.path.insert(0, os.path.join(args.build, "python"))
    import httpx
    import instantly

    binary = os.path.join(args.build, "tools", "mock", "instantly-mock")
    print(f"asyncio: {args.calls:,} GET calls, {args.concurrency} in flight, instantly.AsyncClient vs "
          f"httpx.AsyncClient {httpx.__version__} (medians of {args.repeat} interleaved runs)")
    for latency in (int(text) for text in args.latency_ms.split(",")):
        extra = ["--no-rate-limit", "--threads", str(args.concurrency + 28)]
        with Mock(binary, latency, seed=7, extra=extra) as mock:
            with instantly.Client(api_key=API_KEY, base_url=mock.url) as setup:
                campaign_id = setup.campaigns.create(name="bench", campaign_schedule=SCHEDULE).id
            ours: List[float] = []
            theirs: List[float] = []
            for _ in range(args.repeat):
                ours.append(asyncio.run(run_instantly(instantly, mock.url, campaign_id, args.calls, args.concurrency)))
                theirs.append(asyncio.run(run_httpx(httpx, mock.url, campaign_id, args.calls, args.concurrency)))
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"  mock latency {latency:>3} ms: instantly {a:.3f} s ({args.calls / a:,.0f} calls/s), "
              f"httpx {b:.3f} s ({args.calls / b:,.0f} calls/s); ratio httpx/instantly = {b / a:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
