-- What the reconcile needs (docs/nothing-lost.md): one row per event even when it is told twice,
-- once rebuilt from the API by a backfill and once by a late webhook delivery, and the windows in
-- which a subscription delivered nothing. Safe to apply again.

-- An event's identity, where its payload carries one: the email it is about (email_sent and
-- email_bounced name the sent email, reply_received and auto_reply_received the reply itself, in
-- `email_id`), or the lead (lead_unsubscribed happens once per campaign). A backfilled event and
-- the webhook delivery of the same event have different dedupe keys (the API's records do not
-- repeat every payload field), but one identity: the second of them is skipped like a repeated
-- dedupe key (the insert changes no row), so neither the counts nor reply_count take it twice.
-- Opens and clicks have no identity: a lead may open one email many times.
CREATE TABLE IF NOT EXISTS event_identities (
  identity TEXT PRIMARY KEY
) WITHOUT ROWID;

-- One trigger claims the identity before the row goes in: when the claim changes nothing, the
-- identity was taken and the row is skipped (RAISE(IGNORE)). A row skipped afterwards as a
-- repeated dedupe key leaves its claim behind, which is right: the dedupe key covers the fields the
-- identity is made of, so the stored row has the same identity. The identity is NULL (no claim, the
-- row goes in) without an email id or lead, or for a body SQLite's JSON reader refuses (json_valid
-- keeps json_extract from failing the insert). The expression is written twice because SQL in a
-- trigger has no variables; the second is only evaluated when the claim changed nothing.
CREATE TRIGGER IF NOT EXISTS events_one_per_identity BEFORE INSERT ON events
WHEN NEW.event_type IN ('email_sent', 'email_bounced', 'reply_received', 'auto_reply_received', 'lead_unsubscribed')
BEGIN
  INSERT INTO event_identities (identity)
  SELECT identity FROM (SELECT
    CASE
      WHEN NEW.event_type = 'lead_unsubscribed' THEN
        NEW.event_type || char(10) || NEW.campaign_id || char(10) || lower(trim(NEW.lead_email, ' ' || char(9)))
      WHEN json_valid(NEW.body) THEN
        NEW.event_type || char(10) || NEW.campaign_id || char(10) || json_extract(NEW.body, '$.email_id')
    END AS identity)
  WHERE identity IS NOT NULL
  ON CONFLICT DO NOTHING;
  SELECT RAISE(IGNORE) WHERE changes() = 0 AND (
    CASE
      WHEN NEW.event_type = 'lead_unsubscribed' THEN
        NEW.event_type || char(10) || NEW.campaign_id || char(10) || lower(trim(NEW.lead_email, ' ' || char(9)))
      WHEN json_valid(NEW.body) THEN
        NEW.event_type || char(10) || NEW.campaign_id || char(10) || json_extract(NEW.body, '$.email_id')
    END) IS NOT NULL;
END;

-- Identities of the events stored before this file, once: a store at version 3 has them all.
INSERT OR IGNORE INTO event_identities (identity)
SELECT identity FROM (SELECT
    CASE
      WHEN event_type = 'lead_unsubscribed' THEN
        event_type || char(10) || campaign_id || char(10) || lower(trim(lead_email, ' ' || char(9)))
      WHEN json_valid(body) THEN
        event_type || char(10) || campaign_id || char(10) || json_extract(body, '$.email_id')
    END AS identity
  FROM events
  WHERE (SELECT user_version FROM pragma_user_version) < 3
    AND event_type IN ('email_sent', 'email_bounced', 'reply_received', 'auto_reply_received', 'lead_unsubscribed'))
WHERE identity IS NOT NULL;

-- A window in which a subscription delivered nothing (it was disabled), as the watcher found it
-- (instantly.webhooks.watch_subscriptions); the reconcile backfills it and sets reconciled_at.
CREATE TABLE IF NOT EXISTS webhook_gaps (
  id            INTEGER PRIMARY KEY,
  webhook_id    TEXT NOT NULL,
  target_url    TEXT NOT NULL,
  event_type    TEXT,
  campaign_id   TEXT,            -- the subscription's campaign; NULL: every campaign
  gap_start     TEXT NOT NULL,   -- ISO 8601 UTC
  gap_end       TEXT NOT NULL,
  resumed       INTEGER NOT NULL,
  recorded_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  reconciled_at TEXT,
  UNIQUE (webhook_id, gap_start)
);

PRAGMA user_version = 3;
