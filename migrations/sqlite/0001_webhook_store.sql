-- The webhook receivers' store (examples/webhook_receiver, examples/python/webhook_receiver.py):
-- every verified delivery once, by its dedupe key, and the per-lead engagement folded from them.
-- Both receivers apply this same file; it is safe to apply again.

-- `applied`: 0 until the event has been folded into `engagement`.
-- `apply_error`: why an event could not be applied (it is marked applied all the same).
CREATE TABLE IF NOT EXISTS events (
  id          INTEGER PRIMARY KEY,
  dedupe_key  TEXT NOT NULL UNIQUE,
  event_type  TEXT NOT NULL,
  campaign_id TEXT NOT NULL,
  lead_email  TEXT,
  timestamp   TEXT NOT NULL,
  body        TEXT NOT NULL,
  received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  applied     INTEGER NOT NULL DEFAULT 0,
  apply_error TEXT
);
CREATE INDEX IF NOT EXISTS events_unapplied ON events (id) WHERE applied = 0;

-- One row per (campaign, lead), the columns of instantly::webhooks::LeadEngagement;
-- lead_email as webhooks::lead_key writes it (trimmed, ASCII lower-cased).
CREATE TABLE IF NOT EXISTS engagement (
  campaign_id      TEXT NOT NULL,
  lead_email       TEXT NOT NULL,
  email_sent_at    TEXT,
  email_opened_at  TEXT,
  email_clicked_at TEXT,
  email_replied_at TEXT,
  email_bounced_at TEXT,
  unsubscribed_at  TEXT,
  reply_count      INTEGER NOT NULL DEFAULT 0,
  email_status     TEXT NOT NULL DEFAULT '',
  interest         TEXT,
  interest_at      TEXT,
  updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (campaign_id, lead_email)
) WITHOUT ROWID;

PRAGMA user_version = 1;
