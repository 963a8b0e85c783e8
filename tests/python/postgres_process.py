"""The tests' real PostgreSQL: examples/python/local_postgres.py, which scripts/demo --postgres and
bench/receivers_postgres.py use too.

    with PostgresProcess() as pg:
        url = pg.url("worker", "pw", "jobs")
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                "examples", "python"))
from local_postgres import PostgresProcess, free_port  # noqa: E402,F401
