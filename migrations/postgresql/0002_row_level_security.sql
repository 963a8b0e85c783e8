-- Organisation isolation, enforced by the database (docs/scale-out.md).
--
-- The application connects as a login role that is a member of `instantly_app` and is neither
-- a superuser, nor the tables' owner, nor BYPASSRLS. Each transaction names its organisation:
--
--   BEGIN; SELECT set_config('instantly.organization_id', '<uuid>', true); ... COMMIT;
--
-- (instantly::postgres::Database::in_organization does this.) A session that names none sees no
-- rows and can write none. FORCE makes the policies hold for the owner too, so a migration
-- role that reads the tables by mistake is bound as well (superusers are never bound).

-- The organisation the current transaction acts for; NULL when none was set.
CREATE FUNCTION instantly_current_organization() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('instantly.organization_id', true), '')::uuid $$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'instantly_app') THEN
    CREATE ROLE instantly_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;

DO $$
DECLARE
  organisation_table text;
BEGIN
  FOREACH organisation_table IN ARRAY ARRAY[
    'businesses', 'instantly_api_keys', 'instantly_campaigns', 'instantly_email_events',
    'instantly_lead_engagement', 'instantly_export_logs', 'instantly_analytics_snapshots',
    'instantly_account_health_snapshots']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', organisation_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', organisation_table);
    EXECUTE format('CREATE POLICY organization_isolation ON %I FOR ALL TO PUBLIC '
                   'USING (organization_id = instantly_current_organization()) '
                   'WITH CHECK (organization_id = instantly_current_organization())', organisation_table);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO instantly_app', organisation_table);
  END LOOP;
END
$$;

GRANT USAGE ON SCHEMA public TO instantly_app;
GRANT EXECUTE ON FUNCTION instantly_current_organization() TO instantly_app;
GRANT EXECUTE ON FUNCTION instantly_try_timestamptz(text) TO instantly_app;
-- The application reads the schema's version to refuse a database it does not match.
GRANT SELECT ON instantly_schema_migrations TO instantly_app;
