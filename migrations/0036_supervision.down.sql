DROP FUNCTION supervision_case_known(text);
DROP TABLE supervision_responses, supervision_opinions, supervisors;
DROP FUNCTION supervisors_check();
DROP POLICY case_stats_supervisor_read ON case_stats;
DROP POLICY case_due_counts_supervisor_read ON case_due_counts;
DROP POLICY case_remedy_stats_supervisor_read ON case_remedy_stats;
DROP POLICY case_stats_months_supervisor_read ON case_stats_months;
DROP FUNCTION app_supervised_towns();
-- The functions of 0029 as they were (they read the same: 'supervisor' was
-- never named there either).
CREATE OR REPLACE FUNCTION app_read_towns() RETURNS bigint[] LANGUAGE plpgsql STABLE AS $$
DECLARE
  scope text := coalesce(current_setting('app.scope', true), '');
  town bigint := nullif(current_setting('app.town_id', true), '')::bigint;
BEGIN
  IF scope IN ('county_read', 'county_admin') THEN
    RETURN (SELECT coalesce(array_agg(id), '{}') FROM towns);
  ELSIF scope = 'town' AND town IS NOT NULL THEN
    RETURN ARRAY[town];
  END IF;
  RETURN '{}'::bigint[];
END $$;
CREATE OR REPLACE FUNCTION app_write_towns() RETURNS bigint[] LANGUAGE plpgsql STABLE AS $$
DECLARE
  scope text := coalesce(current_setting('app.scope', true), '');
  town bigint := nullif(current_setting('app.town_id', true), '')::bigint;
BEGIN
  IF scope = 'county_admin' THEN
    RETURN (SELECT coalesce(array_agg(id), '{}') FROM towns);
  ELSIF scope = 'town' AND town IS NOT NULL THEN
    RETURN ARRAY[town];
  END IF;
  RETURN '{}'::bigint[];
END $$;
-- Supervisor accounts cannot keep a role no longer known: they stay, as
-- inactive town accounts (as 0006's down does with 'head'), so that the
-- constraint holds again.
UPDATE users SET role = 'officer', active = false, updated_at = now() WHERE role = 'supervisor';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('officer', 'leader', 'head', 'town_reviewer', 'county_reviewer', 'county_admin'));
