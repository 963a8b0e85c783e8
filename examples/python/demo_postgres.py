"""scripts/demo --postgres: the pipeline's PostgreSQL database for the demo (docs/scale-out.md).

A throwaway PostgreSQL 15 (local_postgres.py) with the pipeline's schema applied by
examples/postgres_migrate as the tables' owner, an application role that row-level security binds,
and one organisation: its businesses are loaded before the export, the C++ receiver writes its
webhook events and engagement into the same database, and the export's log goes in beside them.
Everything the demo reads back, it reads as the application role acting for that organisation.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import uuid
from typing import Any, Dict, List, Optional

from local_postgres import PostgresProcess


class DemoDatabase:
    def __init__(self, migrate_binary: str):
        self.migrate_binary = migrate_binary
        self.organization = str(uuid.uuid4())
        self._owner_password = secrets.token_hex(12)
        self._app_password = secrets.token_hex(12)
        self._server: Optional[PostgresProcess] = None
        self._connection: Any = None

    # ---- lifecycle ------------------------------------------------------------------------------

    def start(self) -> "DemoDatabase":
        if not os.access(self.migrate_binary, os.X_OK):
            raise RuntimeError(f"{self.migrate_binary} is not built (cmake --build ... --target postgres_migrate)")
        import psycopg  # Debian's python3-psycopg, installed by scripts/setup

        self._server = PostgresProcess().__enter__()
        try:
            self._server.psql(f"CREATE ROLE pipeline_owner LOGIN CREATEROLE PASSWORD '{self._owner_password}'")
            self._server.psql("CREATE DATABASE pipeline OWNER pipeline_owner")
            migrated = subprocess.run([self.migrate_binary], capture_output=True, text=True, timeout=120,
                                      env={**os.environ, "INSTANTLY_DATABASE_URL": self.owner_url})
            if migrated.returncode != 0:
                raise RuntimeError(f"postgres_migrate failed: {migrated.stderr.strip()}")
            self.migrated = [line.removeprefix("applied ") for line in migrated.stdout.splitlines()
                             if line.startswith("applied ")]
            self._server.psql(f"CREATE ROLE pipeline_app LOGIN PASSWORD '{self._app_password}' IN ROLE instantly_app")
            self._connection = psycopg.connect(self.app_url, autocommit=True)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._server is not None:
            self._server.__exit__(None, None, None)
            self._server = None

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.port

    @property
    def owner_url(self) -> str:
        assert self._server is not None
        return self._server.url("pipeline_owner", self._owner_password, "pipeline")

    @property
    def app_url(self) -> str:
        """The receiver's URL: the application role, which sees one organisation at a time."""
        assert self._server is not None
        return self._server.url("pipeline_app", self._app_password, "pipeline")

    # ---- the pipeline's rows ---------------------------------------------------------------------

    def _in_organization(self, work):
        with self._connection.transaction():
            self._connection.execute("SELECT set_config('instantly.organization_id', %s, true)", (self.organization,))
            return work(self._connection)

    def load_businesses(self, businesses: List[Dict[str, Any]]) -> int:
        """The scraped businesses as the old pipeline kept them: one row each."""
        rows = [(self.organization, f"place-{i}", b["name"], b.get("email"), b.get("phone"), b.get("website"),
                 b.get("address"), b.get("city"), b.get("category"), b.get("rating"), b.get("reviews_count"),
                 b.get("icebreaker")) for i, b in enumerate(businesses)]

        def work(db) -> int:
            with db.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO businesses (organization_id, place_id, name, email, phone, website, address, city,"
                    " category, rating, review_count, icebreaker) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    rows)
            return len(rows)
        return self._in_organization(work)

    def record_export(self, campaign_id: str, summary: Dict[str, Any], seconds: float) -> None:
        """One instantly_export_logs row, as instantly::postgres::record_export writes it from C++."""
        def work(db) -> None:
            db.execute(
                "INSERT INTO instantly_export_logs (organization_id, campaign_id, requested_by, started_at, finished_at,"
                " total, uploaded, duplicates, invalid, failed, outcome_summary)"
                " VALUES (instantly_current_organization(), %s, 'scripts/demo', now() - make_interval(secs => %s),"
                " now(), %s, %s, %s, %s, %s, %s)",
                (campaign_id, seconds, summary["businesses"], summary["uploaded"], summary["duplicates"],
                 summary["invalid"] + summary["skipped"], summary["failed"], json.dumps(summary)))
        self._in_organization(work)

    def engagement_counts(self, campaign_id: str) -> Dict[str, int]:
        """The same numbers as the SQLite receiver's table gives, from PostgreSQL, plus how many
        business rows the fold reached (their engagement columns)."""
        def work(db) -> Dict[str, int]:
            row = db.execute(
                "SELECT count(*), count(email_sent_at), count(email_opened_at), count(email_clicked_at),"
                " count(email_replied_at), count(email_bounced_at), count(unsubscribed_at)"
                " FROM instantly_lead_engagement WHERE campaign_id = %s", (campaign_id,)).fetchone()
            events = db.execute("SELECT count(*) FROM instantly_email_events WHERE campaign_id = %s",
                                (campaign_id,)).fetchone()[0]
            businesses = db.execute("SELECT count(*) FROM businesses WHERE email_sent_at IS NOT NULL").fetchone()[0]
            logs = db.execute("SELECT count(*) FROM instantly_export_logs").fetchone()[0]
            return {**dict(zip(("leads", "sent", "opened", "clicked", "replied", "bounced", "unsubscribed"), row)),
                    "events": events, "businesses_reached": businesses, "export_logs": logs}
        return self._in_organization(work)
