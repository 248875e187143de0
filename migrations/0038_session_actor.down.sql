DROP FUNCTION session_actor(text);
-- 0028's trigger function again.
CREATE OR REPLACE FUNCTION refcache_notify() RETURNS trigger LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
  kind text;
BEGIN
  FOREACH kind IN ARRAY TG_ARGV LOOP
    PERFORM pg_notify('zhifa_ref', kind);
  END LOOP;
  RETURN NULL;
END $$;
ALTER FUNCTION refcache_notify() RESET ALL;
DROP TABLE ref_versions;
