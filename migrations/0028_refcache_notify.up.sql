-- The app instances keep rarely changed reference data in memory
-- (internal/refcache). Every change to it notifies channel zhifa_ref with
-- the kind of data it touches; each instance LISTENs and drops that kind.
-- NOTIFY is transactional: it is sent on commit, never for a rollback.
-- Statement-level triggers: one notification per statement (PostgreSQL also
-- folds identical ones within a transaction). The kinds a table feeds are
-- the trigger's arguments.
CREATE FUNCTION refcache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  kind text;
BEGIN
  FOREACH kind IN ARRAY TG_ARGV LOOP
    PERFORM pg_notify('zhifa_ref', kind);
  END LOOP;
  RETURN NULL;
END $$;

-- towns: the town list, and the town names on the officer list.
CREATE TRIGGER refcache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON towns
  FOR EACH STATEMENT EXECUTE FUNCTION refcache_notify('towns', 'officers');
CREATE TRIGGER refcache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON domains
  FOR EACH STATEMENT EXECUTE FUNCTION refcache_notify('domains');
-- catalogue_items: an item's domain picks the procedure settings of its cases.
CREATE TRIGGER refcache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON catalogue_items
  FOR EACH STATEMENT EXECUTE FUNCTION refcache_notify('settings');
CREATE TRIGGER refcache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON list_versions
  FOR EACH STATEMENT EXECUTE FUNCTION refcache_notify('lists');
CREATE TRIGGER refcache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON list_version_items
  FOR EACH STATEMENT EXECUTE FUNCTION refcache_notify('lists');
CREATE TRIGGER refcache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION refcache_notify('officers');
CREATE TRIGGER refcache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON certificates
  FOR EACH STATEMENT EXECUTE FUNCTION refcache_notify('officers');
CREATE TRIGGER refcache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON procedure_settings
  FOR EACH STATEMENT EXECUTE FUNCTION refcache_notify('settings');
CREATE TRIGGER refcache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON holidays
  FOR EACH STATEMENT EXECUTE FUNCTION refcache_notify('holidays');
CREATE TRIGGER refcache_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON villages
  FOR EACH STATEMENT EXECUTE FUNCTION refcache_notify('villages');
