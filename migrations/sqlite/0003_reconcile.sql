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
  identity TEXT PRIMARY KEY,
  event_id INTEGER NOT NULL
) WITHOUT ROWID;

-- The identity expression appears in both triggers; the inner CASEs keep json_extract away from a
-- body SQLite's JSON reader would refuse (such an event simply has no identity).
CREATE TRIGGER IF NOT EXISTS events_skip_known_identity BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM event_identities WHERE identity = (
  CASE
    WHEN NEW.event_type IN ('email_sent', 'email_bounced', 'reply_received', 'auto_reply_received') THEN
      CASE WHEN json_valid(NEW.body) THEN
        CASE WHEN json_type(NEW.body, '$.email_id') = 'text' THEN
          NEW.event_type || char(10) || NEW.campaign_id || char(10) || json_extract(NEW.body, '$.email_id')
        END
      END
    WHEN NEW.event_type = 'lead_unsubscribed' AND NEW.lead_email IS NOT NULL THEN
      NEW.event_type || char(10) || NEW.campaign_id || char(10) || lower(trim(NEW.lead_email, ' ' || char(9)))
  END))
BEGIN
  SELECT RAISE(IGNORE);
END;

CREATE TRIGGER IF NOT EXISTS events_record_identity AFTER INSERT ON events
BEGIN
  INSERT OR IGNORE INTO event_identities (identity, event_id)
  SELECT identity, NEW.id FROM (SELECT
    CASE
      WHEN NEW.event_type IN ('email_sent', 'email_bounced', 'reply_received', 'auto_reply_received') THEN
        CASE WHEN json_valid(NEW.body) THEN
          CASE WHEN json_type(NEW.body, '$.email_id') = 'text' THEN
            NEW.event_type || char(10) || NEW.campaign_id || char(10) || json_extract(NEW.body, '$.email_id')
          END
        END
      WHEN NEW.event_type = 'lead_unsubscribed' AND NEW.lead_email IS NOT NULL THEN
        NEW.event_type || char(10) || NEW.campaign_id || char(10) || lower(trim(NEW.lead_email, ' ' || char(9)))
    END AS identity)
  WHERE identity IS NOT NULL;
END;

-- Identities of the events stored before this file: the triggers see only new rows.
INSERT OR IGNORE INTO event_identities (identity, event_id)
SELECT identity, id FROM (SELECT id,
  CASE
    WHEN event_type IN ('email_sent', 'email_bounced', 'reply_received', 'auto_reply_received') THEN
      CASE WHEN json_valid(body) THEN
        CASE WHEN json_type(body, '$.email_id') = 'text' THEN
          event_type || char(10) || campaign_id || char(10) || json_extract(body, '$.email_id')
        END
      END
    WHEN event_type = 'lead_unsubscribed' AND lead_email IS NOT NULL THEN
      event_type || char(10) || campaign_id || char(10) || lower(trim(lead_email, ' ' || char(9)))
  END AS identity FROM events)
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
