-- The towns a transaction may read and write, as plpgsql (issue 12).
--
-- Every row-level security policy calls app_read_towns() or
-- app_write_towns() once per table a statement reads (an InitPlan). As SQL
-- functions with sub-selects they could not be inlined and were planned
-- again on every call (about 0.1 ms each, several per statement); plpgsql
-- keeps its plans for the session (about 0.01 ms). Same results, same
-- settings read.
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
