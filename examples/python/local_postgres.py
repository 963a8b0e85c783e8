"""A throwaway PostgreSQL 15 for scripts/demo --postgres, the tests and the benchmarks: 127.0.0.1,
a free port, a temporary directory, stopped (`pg_ctl stop -m fast`) and removed afterwards.

    with PostgresProcess() as pg:
        pg.psql("CREATE ROLE worker LOGIN PASSWORD 'pw'; CREATE DATABASE jobs OWNER worker")
        url = pg.url("worker", "pw", "jobs")   # postgresql://worker:pw@127.0.0.1:PORT/jobs
        assert pg.psql("SELECT 1") == "1"

PostgreSQL refuses to run as root, so as root initdb and pg_ctl run as the `postgres` account
(runuser) on a directory chowned to it; as anyone else, as that user. The superuser `postgres` has a
random password (`pg.password`) and every connection must give one (scram-sha-256), so a test can
check that a wrong password is refused. The server's log is `pg.dir/server.log`; a failed start
puts it in the exception. Debian's postgresql-15 is installed by scripts/setup; a missing binary is
an error with that message. Durability is off (fsync): this database is thrown away.
"""
from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import urllib.parse

BIN_DIR = "/usr/lib/postgresql/15/bin"
RUNUSER = "/usr/sbin/runuser"
ACCOUNT = "postgres"  # the superuser role, and the OS account the server runs as under root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clean_environment(**extra: str) -> dict[str, str]:
    """The caller's environment less PG* variables (PGSSLMODE, PGOPTIONS, ...), which libpq and the
    server tools would otherwise obey."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("PG")}, **extra}


class PostgresProcess:
    def __init__(self) -> None:
        self.password = secrets.token_hex(12)
        self.port = 0
        self.dir = ""

    def url(self, user: str, password: str, database: str = "postgres") -> str:
        # Percent-encoded: only [A-Za-z0-9-._~] stay as they are.
        user, password, database = (urllib.parse.quote(part, safe="") for part in (user, password, database))
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def superuser_url(self, database: str = "postgres") -> str:
        return self.url(ACCOUNT, self.password, database)

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Runs SQL as the superuser and returns its rows unaligned (`psql -At`: "1", or "a|b\\nc|d")."""
        return self.psql_as(ACCOUNT, self.password, sql, database)

    def psql_as(self, user: str, password: str, sql: str, database: str = "postgres") -> str:
        """Like psql(), as another role; raises RuntimeError (with psql's stderr) on any failure,
        a wrong password included. The SQL goes in on stdin, so each statement runs on its own:
        CREATE DATABASE may follow CREATE ROLE."""
        result = subprocess.run(
            [f"{BIN_DIR}/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
             "-p", str(self.port), "-U", user, "-d", database, "-f", "-"],
            input=sql, capture_output=True, text=True, cwd=self.dir,
            # In the environment, not on the command line where `ps` would show it.
            env=_clean_environment(PGPASSWORD=password, PGCONNECT_TIMEOUT="10"))
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr}")
        return result.stdout[:-1] if result.stdout.endswith("\n") else result.stdout

    def __enter__(self) -> "PostgresProcess":
        for tool in ("initdb", "pg_ctl", "postgres", "psql"):
            if not os.path.exists(f"{BIN_DIR}/{tool}"):
                raise RuntimeError(f"{BIN_DIR}/{tool} is missing: scripts/setup installs postgresql-15")
        # Root hands the server to the `postgres` account; anyone else runs it as themselves.
        account = pwd.getpwnam(ACCOUNT) if os.geteuid() == 0 else None
        self.dir = tempfile.mkdtemp(prefix="instantly-postgres-", dir="/tmp")
        try:
            if account is not None:
                os.chown(self.dir, account.pw_uid, account.pw_gid)
            self._init(account)
            self._start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        # postmaster.pid exists while a server runs (or after it crashed, which pg_ctl copes with).
        if self.dir and os.path.exists(os.path.join(self.dir, "data", "postmaster.pid")):
            if self._pg_ctl("-m", "fast", "-w", "-t", "60", "stop").returncode != 0:
                self._pg_ctl("-m", "immediate", "-w", "-t", "60", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def stop_server(self) -> None:
        """Stops the server (`pg_ctl stop -m fast`: connections are cut, as in a restart or an
        outage); start_server() brings it back on the same data and port."""
        result = self._pg_ctl("-m", "fast", "-w", "-t", "60", "stop")
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl stop failed:\n{result.stderr}{result.stdout}")

    def start_server(self) -> None:
        """Starts the server stopped by stop_server() again, on the same port."""
        log_file = os.path.join(self.dir, "server.log")
        result = self._pg_ctl("-l", log_file, "-o", f"-p {self.port}", "-w", "-t", "60", "start")
        if result.returncode != 0:
            raise RuntimeError(f"pg_ctl start failed:\n{result.stderr}{result.stdout}")

    def _as_postgres(self, *args: str) -> subprocess.CompletedProcess[str]:
        # cwd: the `postgres` account may not enter the caller's directory (often /root), which
        # initdb complains about.
        command = [RUNUSER, "-u", ACCOUNT, "--", *args] if os.geteuid() == 0 else list(args)
        return subprocess.run(command, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, cwd=self.dir, env=_clean_environment())

    def _pg_ctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self._as_postgres(f"{BIN_DIR}/pg_ctl", "-D", os.path.join(self.dir, "data"), *args)

    def _init(self, account: pwd.struct_passwd | None) -> None:
        # initdb reads the password from a file (not argv), which the `postgres` account must read.
        pwfile = os.path.join(self.dir, "superuser.pw")
        with open(os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(self.password + "\n")
        if account is not None:
            os.chown(pwfile, account.pw_uid, account.pw_gid)
        result = self._as_postgres(
            f"{BIN_DIR}/initdb", "-D", os.path.join(self.dir, "data"), "-U", ACCOUNT, f"--pwfile={pwfile}",
            "-A", "scram-sha-256", "-E", "UTF8", "--no-locale",
            "--no-sync",  # a throwaway cluster: skipping the fsyncs saves most of initdb's time
            "--no-instructions")
        os.remove(pwfile)
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{result.stderr}{result.stdout}")
        # Appended as root, the file stays the postgres account's. The port is given at start.
        with open(os.path.join(self.dir, "data", "postgresql.conf"), "a") as conf:
            conf.write("\n# examples/python/local_postgres.py\n"
                       "listen_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.dir}'\n"  # not /var/run/postgresql: the system's
                       "fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n")

    def _start(self) -> None:
        # The port is free when picked, but another process may take it before the server binds it;
        # then the server exits at once, so another port is cheap.
        log_file = os.path.join(self.dir, "server.log")
        for attempt in range(1, 6):
            self.port = free_port()
            if os.path.exists(log_file):
                os.remove(log_file)  # a retry's log then tells only of that attempt
            result = self._pg_ctl("-l", log_file, "-o", f"-p {self.port}", "-w", "-t", "60", "start")
            if result.returncode == 0:
                return
            log = ""
            if os.path.exists(log_file):
                with open(log_file, errors="replace") as f:
                    log = f.read()
            if attempt < 5 and "Address already in use" in log:
                continue
            raise RuntimeError(f"pg_ctl start failed:\n{result.stderr}{result.stdout}\n--- {log_file} ---\n{log}")
