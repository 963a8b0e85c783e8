"""The pipeline's PostgreSQL database as a deployment sets it up, for tests: a real PostgreSQL 15
(postgres_process.py), a role owning the tables that applies the schema with
examples/postgres_migrate (the CLI step), and an application role that row-level security binds.

    with PipelineDatabase() as pipeline:
        subprocess.run([...], env={**os.environ, "INSTANTLY_DATABASE_URL": pipeline.app_url})
        pipeline.query("SELECT count(*) FROM instantly_email_events")   # as the superuser: all rows
"""
from __future__ import annotations

import os
import subprocess

from mock_process import BUILD_DIR
from postgres_process import PostgresProcess

MIGRATE = os.path.join(BUILD_DIR, "examples", "postgres_migrate")
ORG_A = "6f1c2a9e-0b7d-4c3e-9a51-2d8e4f0a1b11"
ORG_B = "0d9b7c55-3e21-4f6a-8b0c-7a1e2f3d4c22"
OWNER_PASSWORD = "owner-pw-71d2"
APP_PASSWORD = "app-pw-3c9e"


def has_postgres_component() -> bool:
    return os.access(MIGRATE, os.X_OK)


class PipelineDatabase:
    def __init__(self, migrated: bool = True):
        self.migrated = migrated
        self.pg = PostgresProcess()

    def __enter__(self) -> "PipelineDatabase":
        self.pg.__enter__()
        try:
            self.pg.psql(f"CREATE ROLE pipeline_owner LOGIN CREATEROLE PASSWORD '{OWNER_PASSWORD}'")
            self.pg.psql("CREATE DATABASE pipeline OWNER pipeline_owner")
            self.owner_url = self.pg.url("pipeline_owner", OWNER_PASSWORD, "pipeline")
            self.app_url = self.pg.url("pipeline_app", APP_PASSWORD, "pipeline")
            if self.migrated:
                migrated = self.migrate()
                assert migrated.returncode == 0, migrated.stderr
                assert "applied 0002_row_level_security.sql" in migrated.stdout
                self.add_app_role()
        except BaseException:
            self.pg.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.pg.__exit__(*exc)

    def migrate(self) -> subprocess.CompletedProcess:
        return subprocess.run([MIGRATE], env={**os.environ, "INSTANTLY_DATABASE_URL": self.owner_url},
                              capture_output=True, text=True, timeout=60)

    def add_app_role(self) -> None:
        self.pg.psql(f"CREATE ROLE pipeline_app LOGIN PASSWORD '{APP_PASSWORD}' IN ROLE instantly_app")

    def query(self, sql: str) -> list[list[str]]:
        """Rows as the superuser sees them (every organisation's): psql -At, split on '|'."""
        output = self.pg.psql(sql, database="pipeline")
        return [line.split("|") for line in output.splitlines()] if output else []
