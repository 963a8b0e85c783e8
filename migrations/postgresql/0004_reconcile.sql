-- What the reconcile needs (docs/nothing-lost.md): one row per event even when it is told twice,
-- once rebuilt from the API by a backfill and once by a late webhook delivery, and the windows in
-- which a subscription delivered nothing. The SQLite receivers' store has the same rules
-- (migrations/sqlite/0003_reconcile.sql).

-- A stored body as jsonb, NULL when jsonb refuses it (say, a string with \u0000, which the
-- receivers' parser accepts): a query over many events must not fail on one of them.
CREATE FUNCTION instantly_try_jsonb(body text) RETURNS jsonb
  LANGUAGE plpgsql IMMUTABLE
  AS $$
BEGIN
  RETURN body::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;

-- An event's identity, where its payload carries one: the email it is about (email_sent and
-- email_bounced name the sent email, reply_received and auto_reply_received the reply itself, in
-- `email_id`), or the lead (lead_unsubscribed happens once per campaign). Opens and clicks have
-- none: a lead may open one email many times. A body jsonb refuses has none either: such an event
-- is stored all the same.
CREATE FUNCTION instantly_event_identity(event_type text, campaign_id text, lead_email text, body text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE
  AS $$
DECLARE
  email_id jsonb := instantly_try_jsonb(body) -> 'email_id';
BEGIN
  IF event_type IN ('email_sent', 'email_bounced', 'reply_received', 'auto_reply_received') THEN
    IF jsonb_typeof(email_id) IS DISTINCT FROM 'string' THEN
      RETURN NULL;
    END IF;
    RETURN event_type || E'\n' || campaign_id || E'\n' || (email_id #>> '{}');
  ELSIF event_type = 'lead_unsubscribed' AND lead_email IS NOT NULL THEN
    RETURN event_type || E'\n' || campaign_id || E'\n' || lower(btrim(lead_email, E' \t'));
  END IF;
  RETURN NULL;
END
$$;

ALTER TABLE instantly_email_events ADD COLUMN identity_key text;
-- Every organisation's rows: the policies bind the tables' owner too (FORCE), for this one
-- statement they must not.
ALTER TABLE instantly_email_events NO FORCE ROW LEVEL SECURITY;
UPDATE instantly_email_events
   SET identity_key = instantly_event_identity(event_type, campaign_id, lead_email, body);
ALTER TABLE instantly_email_events FORCE ROW LEVEL SECURITY;
-- Rows stored before this file may repeat an identity; they keep theirs, only new rows are held to it.
CREATE INDEX instantly_email_events_identity ON instantly_email_events (organization_id, identity_key)
  WHERE identity_key IS NOT NULL;

-- A backfilled event and the webhook delivery of the same event have different dedupe keys (the
-- API's records do not repeat every payload field) but one identity: the second is skipped like a
-- repeated dedupe key (INSERT ... ON CONFLICT DO NOTHING reports no row), so neither the counts
-- nor reply_count take it twice. The advisory lock makes two receivers inserting one identity at
-- once take turns, so the second sees the first's committed row.
CREATE FUNCTION instantly_skip_known_event() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.identity_key := instantly_event_identity(NEW.event_type, NEW.campaign_id, NEW.lead_email, NEW.body);
  IF NEW.identity_key IS NULL THEN
    RETURN NEW;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(NEW.organization_id::text || E'\n' || NEW.identity_key, 7236281946));
  IF EXISTS (SELECT FROM instantly_email_events
              WHERE organization_id = NEW.organization_id AND identity_key = NEW.identity_key) THEN
    RETURN NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER instantly_email_events_identity BEFORE INSERT ON instantly_email_events
  FOR EACH ROW EXECUTE FUNCTION instantly_skip_known_event();

-- A window in which a subscription delivered nothing (it was disabled), as the watcher found it
-- (instantly.webhooks.watch_subscriptions); the reconcile backfills it and sets reconciled_at.
CREATE TABLE instantly_webhook_gaps (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id uuid NOT NULL,
  webhook_id      text NOT NULL,
  target_url      text NOT NULL,
  event_type      text,
  campaign_id     text,
  gap_start       text NOT NULL,
  gap_end         text NOT NULL,
  resumed         boolean NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  reconciled_at   timestamptz,
  UNIQUE (organization_id, webhook_id, gap_start)
);

ALTER TABLE instantly_webhook_gaps ENABLE ROW LEVEL SECURITY;
ALTER TABLE instantly_webhook_gaps FORCE ROW LEVEL SECURITY;
CREATE POLICY organization_isolation ON instantly_webhook_gaps FOR ALL TO PUBLIC
  USING (organization_id = instantly_current_organization())
  WITH CHECK (organization_id = instantly_current_organization());
GRANT SELECT, INSERT, UPDATE, DELETE ON instantly_webhook_gaps TO instantly_app;
GRANT EXECUTE ON FUNCTION instantly_try_jsonb(text) TO instantly_app;
GRANT EXECUTE ON FUNCTION instantly_event_identity(text, text, text, text) TO instantly_app;
GRANT EXECUTE ON FUNCTION instantly_skip_known_event() TO instantly_app;
