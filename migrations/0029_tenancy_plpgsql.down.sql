CREATE OR REPLACE FUNCTION app_read_towns() RETURNS bigint[] LANGUAGE sql STABLE AS
$$ SELECT CASE
     WHEN app_scope() IN ('county_read', 'county_admin') THEN (SELECT coalesce(array_agg(id), '{}') FROM towns)
     WHEN app_scope() = 'town' AND app_town_id() IS NOT NULL THEN ARRAY[app_town_id()]
     ELSE '{}'::bigint[] END $$;

CREATE OR REPLACE FUNCTION app_write_towns() RETURNS bigint[] LANGUAGE sql STABLE AS
$$ SELECT CASE
     WHEN app_scope() = 'county_admin' THEN (SELECT coalesce(array_agg(id), '{}') FROM towns)
     WHEN app_scope() = 'town' AND app_town_id() IS NOT NULL THEN ARRAY[app_town_id()]
     ELSE '{}'::bigint[] END $$;
