"""Scale-out of examples/webhook_receiver on PostgreSQL: the events/s that 1, 2 and 4 receivers
writing into ONE PostgreSQL database hold, against the baseline of one receiver on a SQLite file,
all measured in this same run. Ratios are events/s of a configuration / events/s of SQLite.

  * Load: a closed loop. C keep-alive connections (--connections, default 16; one thread and one
    http.client.HTTPConnection each) POST distinct ~0.8 KiB events back to back for D seconds
    (--seconds, default 5); connection i goes to receiver i % R. The threads are spread over P
    client processes (--client-processes, default 2) so that one GIL does not cap the load.
    events/s = events acknowledged (200, which the receiver answers only after COMMIT) / wall
    time; p50/p99 are send -> 200 latencies.
  * The load generator's own ceiling: the same clients against a trivial asyncio server (in its
    own process) that answers 200 at once. When a receiver's events/s comes near it, the client
    may be the bottleneck, not the receiver; well below it, the client is not. (The trivial
    server is Python too, so the ceiling is a lower bound of what the client can send.) The CPU
    columns say the same from the other side: the cores each party used during the load window
    (client processes, receivers, the whole PostgreSQL server), from /proc.
  * Durability: after each run the receivers get SIGTERM (they answer what is in flight and
    apply everything stored), then the stored events are read back (sqlite3 on the file; psql on
    instantly_email_events, for that run's organisation): every acknowledged event must be
    stored, and applied. Each PostgreSQL configuration uses a fresh organisation and starts on
    emptied tables (TRUNCATE as superuser), so no run works on another's rows.

Fairness: the SQLite receiver syncs its WAL on every commit (synchronous=FULL), so PostgreSQL is
made durable too (fsync, full_page_writes and synchronous_commit on, which the tests'
PostgresProcess turns off); --no-pg-durable keeps the tests' settings. The SQLite file and the
PostgreSQL data directory are both under /tmp, on the same disk.

This machine's cores (2 when written) are shared by the receivers, PostgreSQL and the client, so
the numbers are what that mix gives, not what a receiver does on its own machine; a busy machine
(a CI build) lowers all of them. Run it again before trusting a small difference.

Reuses the tests' helpers: tests/python is put on sys.path for PostgresProcess (a real
PostgreSQL 15 in a temporary directory, Debian's postgresql-15) and ReceiverProcess.

    /usr/bin/python3 bench/receivers_postgres.py --build build/release [--seconds 5]
        [--connections 16] [--client-processes 2] [--receivers 1,2,4] [--no-pg-durable]
"""
from __future__ import annotations

import argparse
import array
import asyncio
import http.client
import json
import math
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "python"))

PATH = "/webhook/instantly"
OWNER_PASSWORD = "bench-owner-pw-5e1a"
APP_PASSWORD = "bench-app-pw-9b7c"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# ---- the events ----------------------------------------------------------------------------------

# A realistic reply_received payload (~0.8 KiB, as bench/webhook_receiver_load.cpp sends). Only the
# timestamp, email_id and lead vary: timestamp + email_id make each event's dedupe key unique, and
# 5,000 leads make the worker fold several events into one lead's row, as real traffic does.
EVENT_TEMPLATE = (
    '{"timestamp":"%s.%03dZ","event_type":"reply_received","workspace":"3f1b2c4d-9a8e-4f70-b1c2-5d6e7f809a1b",'
    '"campaign_id":"0b6e4f1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b","campaign_name":"Austin dentists - May outreach",'
    '"lead_email":"owner%d@business%d.example.com","email_account":"alex@outreach-mail.example.net",'
    '"unibox_url":"https://app.instantly.ai/app/unibox?thread_search=owner%d","step":2,"variant":1,'
    '"is_first":true,"email_id":"bench-%d","reply_subject":"Re: Quick question about your reviews",'
    '"reply_text_snippet":"Thanks for reaching out - we are interested, can you send pricing and a few'
    ' times that work next week? We have two locations in Austin.","firstName":"Jordan","lastName":"Reyes",'
    '"companyName":"Bright Smile Dental %d","website":"https://brightsmile%d.example.com","phone":"+1 512 555 0100",'
    '"personalization":"Loved your 4.8-star reviews on Google","city":"Austin","state":"TX"}')
LEADS = 5000


def event_body(n: int) -> bytes:
    """Event number n: one event per millisecond from 2024-05-01, email_id "bench-n"."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(1_714_550_400 + n // 1000))
    lead = n % LEADS
    return (EVENT_TEMPLATE % (stamp, n % 1000, lead, lead, lead, n, lead, lead)).encode()


def event_number(email_id: str) -> int:
    return int(email_id.removeprefix("bench-"))


# ---- the load generator (runs in client processes) -----------------------------------------------

@dataclass
class Load:
    """One closed-loop run, all client processes together."""
    acked: "array.array[int]" = field(default_factory=lambda: array.array("q"))  # event numbers answered 200
    latencies: "array.array[float]" = field(default_factory=lambda: array.array("d"))  # seconds, send -> 200
    errors: Counter = field(default_factory=Counter)  # failed requests by reason ("HTTP 503", "ConnectionResetError")
    wall: float = 0.0  # start -> the last answer
    client_cpu: float = 0.0  # CPU seconds of the client processes during the run

    @property
    def rate(self) -> float:
        return len(self.acked) / self.wall if self.wall > 0 else 0.0

    def percentile_ms(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def connection_loop(port: int, index: int, stride: int, start_at: float, deadline: float,
                    headers: Dict[str, str], out: Dict[str, object]) -> None:
    """One keep-alive connection: POST event index, index + stride, ... until the deadline."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    acked, latencies, errors = array.array("q"), array.array("d"), Counter()
    # Connect lazily, at the start: a receiver closes a keep-alive connection idle for 1 s.
    time.sleep(max(0.0, start_at - time.monotonic()))
    n = index
    while time.monotonic() < deadline:
        body = event_body(n)
        sent = time.perf_counter()
        try:
            connection.request("POST", PATH, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                latencies.append(time.perf_counter() - sent)
                acked.append(n)
            else:
                errors[f"HTTP {response.status}"] += 1
        except (OSError, http.client.HTTPException) as e:
            connection.close()  # the next request opens a fresh connection
            errors[type(e).__name__] += 1
        n += stride
    out.update(acked=acked, latencies=latencies, errors=errors, last_answer=time.monotonic())
    connection.close()


def client_process(pipe, plan: List[Tuple[int, int]], stride: int, seconds: float, header: str, secret: str) -> None:
    """Runs one thread per (connection index, port) of `plan`. Says "ready", gets the start time
    (time.monotonic is the system-wide CLOCK_MONOTONIC on Linux, so all processes share it), and
    sends back what its threads saw and the CPU time it used."""
    pipe.send("ready")
    start_at = pipe.recv()
    headers = {"Content-Type": "application/json", header: secret}
    outs: List[Dict[str, object]] = [{} for _ in plan]
    cpu_before = time.process_time()  # all threads of this process
    threads = [threading.Thread(target=connection_loop,
                                args=(port, index, stride, start_at, start_at + seconds, headers, out))
               for (index, port), out in zip(plan, outs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pipe.send({"outs": outs, "cpu": time.process_time() - cpu_before})


def run_load(ports: List[int], connections: int, processes: int, seconds: float, header: str, secret: str) -> Load:
    """The closed loop: connection i posts to ports[i % len(ports)]; process p holds a contiguous
    block of connections, so every process talks to every receiver."""
    context = multiprocessing.get_context("spawn")  # no fork of a process that may hold locks
    processes = max(1, min(processes, connections))
    workers = []
    for p in range(processes):
        block = range(p * connections // processes, (p + 1) * connections // processes)
        parent, child = context.Pipe()
        plan = [(i, ports[i % len(ports)]) for i in block]
        process = context.Process(target=client_process, args=(child, plan, connections, seconds, header, secret))
        process.start()
        workers.append((process, parent))
    for _, pipe in workers:
        if not pipe.poll(60) or pipe.recv() != "ready":
            raise RuntimeError("a client process did not start")
    start_at = time.monotonic() + 0.2  # every process gets the time before it comes
    for _, pipe in workers:
        pipe.send(start_at)
    load, last_answer = Load(), start_at
    for process, pipe in workers:
        if not pipe.poll(seconds + 180):
            raise RuntimeError("a client process did not finish")
        result = pipe.recv()
        process.join()
        load.client_cpu += result["cpu"]
        for out in result["outs"]:
            load.acked.extend(out["acked"])
            load.latencies.extend(out["latencies"])
            load.errors.update(out["errors"])
            last_answer = max(last_answer, out["last_answer"])
    load.wall = last_answer - start_at
    return load


# ---- a trivial server: the load generator's ceiling ----------------------------------------------

# As long as the receiver's answer (a 64-hex-digit dedupe key).
TRIVIAL_BODY = b'{"stored":true,"duplicate":false,"dedupe_key":"' + b"0" * 64 + b'"}'
TRIVIAL_ANSWER = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                  % (len(TRIVIAL_BODY), TRIVIAL_BODY))


async def answer_requests(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Reads each request's head and body and answers 200 at once, keep-alive."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            writer.write(TRIVIAL_ANSWER)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def trivial_server(pipe) -> None:
    async def serve() -> None:
        server = await asyncio.start_server(answer_requests, "127.0.0.1", 0)
        pipe.send(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(serve())


class TrivialServer:
    """The trivial server in its own process (so it does not share the client's GIL)."""

    def __enter__(self) -> "TrivialServer":
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        self.process = context.Process(target=trivial_server, args=(child,), daemon=True)
        self.process.start()
        if not parent.poll(60):
            raise RuntimeError("the trivial server did not start")
        self.port = parent.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.join(10)


# ---- CPU accounting ------------------------------------------------------------------------------

def process_cpu(pid: int, reaped_children: bool = False) -> float:
    """CPU seconds (user + system) of a live process from /proc/PID/stat; with reaped_children, plus
    those of its children that exited and were waited for. 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()  # after "pid (comm)": field 3 is fields[0]
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / CLOCK_TICKS


def postgres_cpu(pg) -> float:
    """CPU seconds of the whole PostgreSQL server: the postmaster, its live children (backends,
    walwriter, checkpointer, ...) and the children it reaped (backends of receivers gone)."""
    with open(os.path.join(pg.dir, "data", "postmaster.pid")) as f:
        postmaster = int(f.readline())
    total = process_cpu(postmaster, reaped_children=True)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == postmaster:
                total += process_cpu(int(entry))
    return total


# ---- one configuration ---------------------------------------------------------------------------

@dataclass
class Run:
    name: str
    receivers: int
    load: Load
    stored: int = 0  # events in the store after the receivers stopped
    lost: int = 0  # acknowledged but not stored: must be 0
    unapplied: int = 0  # stored but not folded after SIGTERM: must be 0
    backlog: int = 0  # stored but not yet folded when the load stopped
    exit_codes: List[int] = field(default_factory=list)
    cpu: Dict[str, float] = field(default_factory=dict)  # cores used during the load window, by party

    @property
    def durable(self) -> bool:
        return self.lost == 0 and self.unapplied == 0 and all(code == 0 for code in self.exit_codes)


def measure(name: str, receivers: list, args: argparse.Namespace, header: str, secret: str,
            extra_cpu=None) -> Run:
    """Starts `receivers` (ReceiverProcess objects), runs the load on them, stops them with SIGTERM.
    `extra_cpu()` gives the CPU seconds of a shared server (PostgreSQL) to account for."""
    def receivers_cpu() -> float:
        return sum(process_cpu(r.process.pid) for r in receivers)

    try:
        for receiver in receivers:
            receiver.__enter__()
        before = receivers_cpu(), extra_cpu() if extra_cpu else 0.0
        load = run_load([r.port for r in receivers], args.connections, args.client_processes, args.seconds,
                        header, secret)
        after = receivers_cpu(), extra_cpu() if extra_cpu else 0.0
        run = Run(name, len(receivers), load, backlog=receivers[0].health()["unapplied"])
        run.cpu = {"client": load.client_cpu / load.wall, "receivers": (after[0] - before[0]) / load.wall,
                   "postgres": (after[1] - before[1]) / load.wall}
        # SIGTERM: each answers what is in flight and folds everything stored before it exits.
        run.exit_codes = [r.stop(timeout=600) for r in receivers]
    finally:
        for receiver in receivers:
            receiver.__exit__(None, None, None)
    return run


def check_stored(run: Run, rows: List[Tuple[str, bool]]) -> Run:
    """rows: (email_id, applied) of every stored event of the run."""
    stored = {event_number(email_id) for email_id, _ in rows}
    run.stored = len(rows)
    run.lost = len(set(run.load.acked) - stored)
    run.unapplied = sum(1 for _, applied in rows if not applied)
    return run


def run_sqlite(workdir: str, args: argparse.Namespace, receiver_process, header: str, secret: str) -> Run:
    db = os.path.join(workdir, "events.sqlite")
    receiver = receiver_process.ReceiverProcess(db, args=["--threads", str(receiver_threads(args, 1))])
    run = measure("SQLite file", [receiver], args, header, secret)
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT json_extract(body, '$.email_id'), applied FROM events").fetchall()
    return check_stored(run, [(email_id, bool(applied)) for email_id, applied in rows])


def run_postgres(count: int, pg, app_url: str, workdir: str, args: argparse.Namespace, receiver_process,
                 header: str, secret: str) -> Run:
    organization = str(uuid.uuid4())  # this run's rows, and no other's
    receivers = [receiver_process.ReceiverProcess(os.path.join(workdir, f"pg{count}-r{i}"), database=app_url,
                                                  organization=organization,
                                                  args=["--threads", str(receiver_threads(args, count))])
                 for i in range(count)]
    run = measure("PostgreSQL, one database", receivers, args, header, secret, extra_cpu=lambda: postgres_cpu(pg))
    output = pg.psql(f"SELECT body::json->>'email_id', applied FROM instantly_email_events "
                     f"WHERE organization_id = '{organization}'", database="pipeline")
    rows = [(line.split("|")[0], line.split("|")[1] == "t") for line in output.splitlines()]
    # The next configuration starts on empty tables, not on this one's rows and index pages.
    pg.psql("TRUNCATE instantly_email_events, instantly_lead_engagement", database="pipeline")
    return check_stored(run, rows)


def receiver_threads(args: argparse.Namespace, receivers: int) -> int:
    """cpp-httplib holds a thread per keep-alive connection: with fewer threads than connections
    the extra connections would only wait. 16 is the receiver's default."""
    return max(16, math.ceil(args.connections / receivers))


# ---- the PostgreSQL database ---------------------------------------------------------------------

def prepare_pipeline(pg, migrate: str, durable: bool) -> str:
    """As tests/python/test_webhook_receiver_postgres.py: an owner role and its database, migrated
    by postgres_migrate, and an application role in instantly_app. Returns the receivers' URL."""
    pg.psql(f"CREATE ROLE pipeline_owner LOGIN CREATEROLE PASSWORD '{OWNER_PASSWORD}'")
    pg.psql("CREATE DATABASE pipeline OWNER pipeline_owner")
    migrated = subprocess.run([migrate], env={**os.environ, "INSTANTLY_DATABASE_URL": pg.url(
        "pipeline_owner", OWNER_PASSWORD, "pipeline")}, capture_output=True, text=True, timeout=120)
    if migrated.returncode != 0:
        raise RuntimeError(f"postgres_migrate failed: {migrated.stderr}")
    pg.psql(f"CREATE ROLE pipeline_app LOGIN PASSWORD '{APP_PASSWORD}' IN ROLE instantly_app")
    if durable:
        # A commit is on disk when it returns, as the SQLite receiver's are. All three reload
        # without a restart.
        pg.psql("ALTER SYSTEM SET fsync = on; ALTER SYSTEM SET full_page_writes = on;"
                " ALTER SYSTEM SET synchronous_commit = on; SELECT pg_reload_conf();")
        deadline = time.monotonic() + 30
        while pg.psql("SHOW fsync") != "on" or pg.psql("SHOW synchronous_commit") != "on":
            if time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not take fsync = on")
            time.sleep(0.05)
    return pg.url("pipeline_app", APP_PASSWORD, "pipeline")


# ---- report --------------------------------------------------------------------------------------

COLUMNS = "{:<26} {:>4} {:>7} {:>8} {:>9} {:>7} {:>7} {:>6} {:>7} {:>16} {:>7}   {}"


def print_table(ceiling: Load, ceiling_cpu: float, runs: List[Run]) -> None:
    print(COLUMNS.format("configuration", "recv", "acked", "events/s", "vs SQLite", "p50 ms", "p99 ms", "errors",
                         "stored", "all acked stored", "backlog", "CPU cores: client/receivers/postgres"))
    print(COLUMNS.format("load generator ceiling", "-", len(ceiling.acked), f"{ceiling.rate:.0f}", "-",
                         f"{ceiling.percentile_ms(0.5):.2f}", f"{ceiling.percentile_ms(0.99):.2f}",
                         sum(ceiling.errors.values()), "-", "-", "-",
                         f"{ceiling.client_cpu / ceiling.wall:.2f}/{ceiling_cpu:.2f} (the trivial server)/-"))
    sqlite_rate = runs[0].load.rate
    for run in runs:
        load = run.load
        durable = "yes" if run.durable else f"NO: {run.lost} lost"
        print(COLUMNS.format(run.name, run.receivers, len(load.acked), f"{load.rate:.0f}",
                             f"{load.rate / sqlite_rate:.2f}" if sqlite_rate else "-",
                             f"{load.percentile_ms(0.5):.2f}", f"{load.percentile_ms(0.99):.2f}",
                             sum(load.errors.values()), run.stored, durable, run.backlog,
                             f"{run.cpu['client']:.2f}/{run.cpu['receivers']:.2f}/{run.cpu['postgres']:.2f}"))


def print_notes(ceiling: Load, runs: List[Run]) -> None:
    best = max(run.load.rate for run in runs)
    print(f"vs SQLite: events/s / those of the SQLite receiver in this run ({runs[0].load.rate:.0f}).")
    if ceiling.rate > 0:
        print(f"The fastest configuration ran at {best / ceiling.rate:.0%} of the load generator's ceiling "
              f"({ceiling.rate:.0f} events/s against a server that does nothing); near 100% would mean the client, "
              f"not the receivers, set the pace (the ceiling is measured once, before the receivers: on a busy "
              f"machine it moves too).")
    print(f"CPU: cores used during the load window ({os.cpu_count()} in all, shared). backlog: events stored but "
          f"not yet folded into the engagement when the load stopped (all folded before the receivers exited).")
    for label, load in [("load generator ceiling", ceiling)] + [(f"{r.name} x{r.receivers}", r.load) for r in runs]:
        if load.errors:
            print(f"errors of {label}: " + ", ".join(f"{k}: {v}" for k, v in load.errors.most_common()))
    for run in runs:
        if not run.durable:
            print(f"FAILED: {run.name} x{run.receivers}: {run.lost} acknowledged events not stored, {run.unapplied} "
                  f"stored but not applied, receiver exit codes {run.exit_codes}")
        elif run.stored != len(run.load.acked):
            # A request that failed (no 200) may have been stored all the same: fine, Instantly would retry it.
            print(f"note: {run.name} x{run.receivers} stored {run.stored - len(run.load.acked)} events it did not "
                  f"acknowledge")


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build", "release"),
                        help="build tree with examples/webhook_receiver and examples/postgres_migrate")
    parser.add_argument("--seconds", type=float, default=5, help="load per configuration")
    parser.add_argument("--connections", type=int, default=16, help="client keep-alive connections (threads)")
    parser.add_argument("--client-processes", type=int, default=2, help="processes the connections are spread over")
    parser.add_argument("--receivers", default="1,2,4", help="PostgreSQL configurations: receivers on one database")
    parser.add_argument("--pg-durable", action=argparse.BooleanOptionalAction, default=True,
                        help="fsync, full_page_writes, synchronous_commit on (as SQLite's synchronous=FULL)")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.receivers.split(",") if n.strip()]

    # The tests' helpers find the binaries through INSTANTLY_BUILD_DIR, read when first imported.
    build = os.path.abspath(args.build)
    os.environ["INSTANTLY_BUILD_DIR"] = build
    import receiver_process
    from postgres_process import PostgresProcess
    migrate = os.path.join(build, "examples", "postgres_migrate")
    for binary in (receiver_process.RECEIVER_BINARY, migrate):
        if not os.path.exists(binary):
            print(f"{binary} is missing: build the targets webhook_receiver and postgres_migrate", file=sys.stderr)
            return 1
    header, secret = receiver_process.HEADER, receiver_process.SECRET
    json.loads(event_body(0))  # the template is valid JSON

    pg_mode = ("durable (fsync on, as SQLite's synchronous=FULL)" if args.pg_durable
               else "with fsync off (the tests' settings; not comparable to SQLite)")
    print(f"webhook_receiver on one PostgreSQL database vs on a SQLite file: {args.seconds:g} s closed loop per "
          f"configuration, {args.connections} keep-alive connections in {args.client_processes} client process(es), "
          f"~{len(event_body(0))}-byte distinct events; {os.cpu_count()} cores shared by client, receivers and "
          f"PostgreSQL; PostgreSQL {pg_mode}.")
    print(f"binaries: {build}")
    with tempfile.TemporaryDirectory(prefix="receivers-postgres-", dir="/tmp") as workdir, PostgresProcess() as pg:
        app_url = prepare_pipeline(pg, migrate, args.pg_durable)
        with TrivialServer() as trivial:
            cpu_before = process_cpu(trivial.process.pid)
            ceiling = run_load([trivial.port], args.connections, args.client_processes, args.seconds, header, secret)
            ceiling_cpu = (process_cpu(trivial.process.pid) - cpu_before) / ceiling.wall
        runs = [run_sqlite(workdir, args, receiver_process, header, secret)]
        for count in counts:
            runs.append(run_postgres(count, pg, app_url, workdir, args, receiver_process, header, secret))

    print_table(ceiling, ceiling_cpu, runs)
    print_notes(ceiling, runs)
    return 0 if all(run.durable and run.load.rate > 0 for run in runs) else 1

if __name__ == "__main__":
    sys.exit(main())
