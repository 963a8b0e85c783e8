-- Webhook deliveries that passed verification but did not parse as an event: acknowledged all
-- the same and kept exactly as received, once per body and organisation, so that a parser fixed
-- later can turn them into events (docs/nothing-lost.md). The SQLite receivers' table of the same
-- name (migrations/sqlite/0002_unparsed_deliveries.sql) has the same columns.
CREATE TABLE instantly_unparsed_deliveries (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id uuid NOT NULL,
  body_sha256     text NOT NULL,
  body            bytea NOT NULL,
  received_at     timestamptz NOT NULL,
  error           text NOT NULL,
  UNIQUE (organization_id, body_sha256)
);

ALTER TABLE instantly_unparsed_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE instantly_unparsed_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON instantly_unparsed_deliveries FOR ALL TO PUBLIC
  USING (organization_id = instantly_current_organization())
  WITH CHECK (organization_id = instantly_current_organization());
GRANT SELECT, INSERT, UPDATE, DELETE ON instantly_unparsed_deliveries TO instantly_app;
