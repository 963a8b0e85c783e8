-- Deliveries that passed verification but did not parse as an event: acknowledged all the same
-- and kept exactly as received, once per body, so that a parser fixed later can turn them into
-- events (webhook_receiver --reparse, instantly webhooks reparse). docs/nothing-lost.md.
-- Safe to apply again.
CREATE TABLE IF NOT EXISTS unparsed_deliveries (
  id          INTEGER PRIMARY KEY,
  body_sha256 TEXT NOT NULL UNIQUE,  -- hex; what makes a redelivery of the same body one row
  body        BLOB NOT NULL,         -- the bytes as received (not necessarily UTF-8)
  received_at TEXT NOT NULL,         -- when the receiver accepted it (its spool's time), ISO 8601 UTC
  error       TEXT NOT NULL          -- why it did not parse, the last time it was tried
);

PRAGMA user_version = 2;
