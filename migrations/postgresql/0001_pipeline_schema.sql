-- The lead-generation pipeline's tables in PostgreSQL (docs/scale-out.md).
-- Every row belongs to one organisation: `organization_id` is on every table, and
-- 0002_row_level_security.sql lets a session see only its own organisation's rows.
-- Applied once by instantly::postgres::apply_migrations (recorded in
-- instantly_schema_migrations); a change to a shipped file is a new file, never an edit.

-- The businesses the scraper found, one per organisation and place, with the engagement the
-- webhook events folded into them (the columns of instantly::webhooks::LeadEngagement that the
-- old pipeline kept on this row).
CREATE TABLE businesses (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id  uuid NOT NULL,
  place_id         text,
  name             text NOT NULL,
  email            text,
  phone            text,
  website          text,
  address          text,
  city             text,
  category         text,
  rating           double precision,
  review_count     integer,
  icebreaker       text,
  email_sent_at    timestamptz,
  email_opened_at  timestamptz,
  email_replied_at timestamptz,
  email_bounced_at timestamptz,
  unsubscribed_at  timestamptz,
  reply_count      integer NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
  email_status     text NOT NULL DEFAULT '',
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, place_id)
);
-- Events name their lead by email (as webhooks::lead_key writes it: trimmed, lower-cased).
CREATE INDEX businesses_lead_key ON businesses (organization_id, lower(btrim(email)));

-- One Instantly API key per organisation, sealed (instantly/secrets.hpp: "iks1.<key id>...").
-- The CHECK refuses anything that is not sealed text, so a plaintext key cannot be stored here
-- by mistake.
CREATE TABLE instantly_api_keys (
  organization_id uuid PRIMARY KEY,
  sealed_key      text NOT NULL CHECK (sealed_key ~ '^iks1\.[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$'),
  workspace       text,
  label           text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  rotated_at      timestamptz
);

-- Our campaign -> the Instantly campaign it was exported to.
CREATE TABLE instantly_campaigns (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id       uuid NOT NULL,
  campaign_key          text NOT NULL,
  instantly_campaign_id text NOT NULL,
  name                  text NOT NULL,
  status                text,
  created_at            timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, campaign_key),
  UNIQUE (organization_id, instantly_campaign_id)
);

-- Every webhook event a receiver acknowledged, once: receivers insert with
-- ON CONFLICT (organization_id, dedupe_key) DO NOTHING, so a delivery retried to another
-- receiver is stored once. `body` is the delivery's bytes as received.
-- `applied`: false until the event has been folded into the engagement columns.
CREATE TABLE instantly_email_events (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id uuid NOT NULL,
  dedupe_key      text NOT NULL,
  event_type      text NOT NULL,
  campaign_id     text NOT NULL,
  lead_email      text,
  occurred_at     text NOT NULL,
  body            text NOT NULL,
  received_at     timestamptz NOT NULL DEFAULT now(),
  applied         boolean NOT NULL DEFAULT false,
  apply_error     text,
  UNIQUE (organization_id, dedupe_key)
);
CREATE INDEX instantly_email_events_unapplied ON instantly_email_events (organization_id, id) WHERE NOT applied;

-- The per-lead engagement of each campaign, as the SQLite receivers' `engagement` table keeps it:
-- the columns of instantly::webhooks::LeadEngagement. Times stay the events' own text (ISO 8601,
-- which the fold compares by instant), so an event with an unreadable time is kept, not refused.
CREATE TABLE instantly_lead_engagement (
  organization_id  uuid NOT NULL,
  campaign_id      text NOT NULL,
  lead_email       text NOT NULL,
  email_sent_at    text,
  email_opened_at  text,
  email_clicked_at text,
  email_replied_at text,
  email_bounced_at text,
  unsubscribed_at  text,
  reply_count      integer NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
  email_status     text NOT NULL DEFAULT '',
  interest         text,
  interest_at      text,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, campaign_id, lead_email)
);

-- An event's time as a timestamptz for the business rows, NULL when it does not read as one.
CREATE FUNCTION instantly_try_timestamptz(value text) RETURNS timestamptz
  LANGUAGE plpgsql STABLE
  AS $$
BEGIN
  RETURN value::timestamptz;
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$$;

-- One row per export (workflows::LeadImporter run): its counts, a summary of the per-lead
-- outcomes (failures by reason, the first few failed leads), who started it and when.
CREATE TABLE instantly_export_logs (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id uuid NOT NULL,
  campaign_id     text NOT NULL,
  requested_by    text,
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz,
  total           integer NOT NULL DEFAULT 0,
  uploaded        integer NOT NULL DEFAULT 0,
  duplicates      integer NOT NULL DEFAULT 0,
  invalid         integer NOT NULL DEFAULT 0,
  failed          integer NOT NULL DEFAULT 0,
  outcome_summary jsonb NOT NULL DEFAULT '{}'::jsonb,
  CHECK (uploaded + duplicates + invalid + failed <= total)
);
CREATE INDEX instantly_export_logs_campaign ON instantly_export_logs (organization_id, campaign_id, started_at);

-- What workflows::AnalyticsSync read for a campaign at one time (the totals, and the API's own
-- answer for what the columns do not hold).
CREATE TABLE instantly_analytics_snapshots (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id uuid NOT NULL,
  campaign_id     text NOT NULL,
  taken_at        timestamptz NOT NULL,
  leads_count     bigint,
  contacted_count bigint,
  emails_sent     bigint,
  opened          bigint,
  replied         bigint,
  bounced         bigint,
  unsubscribed    bigint,
  payload         jsonb NOT NULL,
  UNIQUE (organization_id, campaign_id, taken_at)
);

-- What workflows::AccountHealth concluded for a sending account at one time.
CREATE TABLE instantly_account_health_snapshots (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id uuid NOT NULL,
  account_email   text NOT NULL,
  taken_at        timestamptz NOT NULL,
  status          text NOT NULL,
  reasons         jsonb NOT NULL DEFAULT '[]'::jsonb,
  payload         jsonb NOT NULL DEFAULT '{}'::jsonb,
  UNIQUE (organization_id, account_email, taken_at)
);
