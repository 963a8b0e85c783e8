"""Starts a real redis-server for a test (127.0.0.1, a free port, a temporary directory, no
persistence) and stops it afterwards.

    with RedisProcess() as redis:
        client = instantly.Client(..., rate_limit_backend=redis.url)
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time

from postgres_process import free_port  # one picker of free ports for every test server

REDIS_SERVER = "/usr/bin/redis-server"



class RedisProcess:
    def __init__(self, password: str | None = None):
        self.password = password
        self.port = 0
        self.dir = ""
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}"

    def __enter__(self) -> "RedisProcess":
        if not os.path.exists(REDIS_SERVER):
            raise RuntimeError(f"{REDIS_SERVER} is missing: scripts/setup installs redis-server")
        self.dir = tempfile.mkdtemp(prefix="instantly-redis-")
        self.port = free_port()
        args = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", self.dir, "--logfile", os.path.join(self.dir, "redis.log")]
        if self.password:
            args += ["--requirepass", self.password]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.01)
        self.__exit__()
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.dir, ignore_errors=True)
