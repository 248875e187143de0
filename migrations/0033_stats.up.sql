-- The statistics of issue 13: reconsiderations (行政复议) and lawsuits
-- (行政诉讼) against the towns' decisions, by town, month and kind, kept
-- current by triggers in the same transaction as each remedy recorded or
-- decided, like case_stats (migration 0027), so that the county's
-- "零复议纠错、零诉讼败诉" for any period is a sum over a few rows.
-- case_remedy_stats_computed() states the same numbers set-wise from
-- case_remedies (the consistency check, cases.CheckStats);
-- case_remedy_stats_rebuild() replaces the table with them.

CREATE TABLE case_remedy_stats (
  town_id   bigint NOT NULL REFERENCES towns (id),
  -- The first day of the month: a remedy counts as filed in the month of
  -- its filed_on, and as decided (with its outcome) in the month of its
  -- decided_on.
  month     date   NOT NULL CHECK (month = date_trunc('month', month::timestamp)::date),
  kind      text   NOT NULL CHECK (kind IN ('reconsideration', 'litigation')),
  filed     int    NOT NULL DEFAULT 0, -- remedies filed
  decided   int    NOT NULL DEFAULT 0, -- outcomes recorded: upheld + corrected + withdrawn
  upheld    int    NOT NULL DEFAULT 0, -- the decision upheld (维持, 胜诉)
  corrected int    NOT NULL DEFAULT 0, -- corrected: revoked, changed or the lawsuit lost (纠错, 败诉)
  withdrawn int    NOT NULL DEFAULT 0, -- withdrawn by the party (撤回)
  PRIMARY KEY (town_id, month, kind)
);

-- What one remedy adds: filed in its month; once it has an outcome,
-- decided in the month of its decision (of its filing, should the date be
-- missing, so that filed - decided is always the pending count).
CREATE FUNCTION case_remedy_stats_rows(r case_remedies) RETURNS case_remedy_stats[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY[(r.town_id, date_trunc('month', r.filed_on::timestamp)::date, r.kind, 1, 0, 0, 0, 0)::case_remedy_stats]
    || CASE WHEN r.outcome = 'pending' THEN '{}'::case_remedy_stats[]
            ELSE ARRAY[(r.town_id, date_trunc('month', coalesce(r.decided_on, r.filed_on)::timestamp)::date, r.kind, 0, 1,
                        (r.outcome = 'upheld')::int, (r.outcome = 'corrected')::int, (r.outcome = 'withdrawn')::int)::case_remedy_stats] END
$$;

-- Adds plus and subtracts minus, summed per key, in key order (two
-- transactions of one town lock the rows they share in the same order).
CREATE FUNCTION case_remedy_stats_add(plus case_remedy_stats[], minus case_remedy_stats[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO case_remedy_stats AS s
  SELECT d.town_id, d.month, d.kind, sum(d.filed), sum(d.decided), sum(d.upheld), sum(d.corrected), sum(d.withdrawn)
  FROM (
    SELECT * FROM unnest(plus)
    UNION ALL
    SELECT m.town_id, m.month, m.kind, -m.filed, -m.decided, -m.upheld, -m.corrected, -m.withdrawn FROM unnest(minus) m
  ) d
  GROUP BY 1, 2, 3
  HAVING sum(d.filed) <> 0 OR sum(d.decided) <> 0 OR sum(d.upheld) <> 0 OR sum(d.corrected) <> 0 OR sum(d.withdrawn) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (town_id, month, kind) DO UPDATE SET
    filed = s.filed + EXCLUDED.filed, decided = s.decided + EXCLUDED.decided, upheld = s.upheld + EXCLUDED.upheld,
    corrected = s.corrected + EXCLUDED.corrected, withdrawn = s.withdrawn + EXCLUDED.withdrawn
$$;

-- A remedy recorded, its outcome recorded, or (by the owner) deleted. As
-- the owner (SECURITY DEFINER): the app role may only read the numbers.
CREATE FUNCTION case_remedy_stats_track() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  PERFORM case_remedy_stats_add(
    CASE WHEN TG_OP = 'DELETE' THEN '{}'::case_remedy_stats[] ELSE case_remedy_stats_rows(NEW) END,
    CASE WHEN TG_OP = 'INSERT' THEN '{}'::case_remedy_stats[] ELSE case_remedy_stats_rows(OLD) END);
  RETURN NULL;
END $$;
CREATE TRIGGER case_remedies_stats_insert AFTER INSERT ON case_remedies FOR EACH ROW EXECUTE FUNCTION case_remedy_stats_track();
-- Only a change to what the numbers read fires it (not an edit of the note).
CREATE TRIGGER case_remedies_stats_update AFTER UPDATE ON case_remedies FOR EACH ROW
  WHEN ((OLD.town_id, OLD.kind, OLD.filed_on, OLD.outcome, OLD.decided_on)
        IS DISTINCT FROM (NEW.town_id, NEW.kind, NEW.filed_on, NEW.outcome, NEW.decided_on))
  EXECUTE FUNCTION case_remedy_stats_track();
CREATE TRIGGER case_remedies_stats_delete AFTER DELETE ON case_remedies FOR EACH ROW EXECUTE FUNCTION case_remedy_stats_track();

-- The numbers recomputed from the remedies the caller may read, set-wise.
CREATE FUNCTION case_remedy_stats_computed() RETURNS SETOF case_remedy_stats LANGUAGE sql STABLE AS $$
  SELECT town_id, month, kind, sum(filed)::int, sum(decided)::int, sum(upheld)::int, sum(corrected)::int, sum(withdrawn)::int
  FROM (
    SELECT town_id, date_trunc('month', filed_on::timestamp)::date AS month, kind, 1 AS filed, 0 AS decided, 0 AS upheld,
           0 AS corrected, 0 AS withdrawn
    FROM case_remedies
    UNION ALL
    SELECT town_id, date_trunc('month', coalesce(decided_on, filed_on)::timestamp)::date, kind, 0, 1,
           (outcome = 'upheld')::int, (outcome = 'corrected')::int, (outcome = 'withdrawn')::int
    FROM case_remedies WHERE outcome <> 'pending'
  ) r
  GROUP BY 1, 2, 3
$$;

-- Replaces the table with the recount (after a bulk load, or to repair).
-- The owner's alone; it reads every town whatever the session's tenancy.
CREATE FUNCTION case_remedy_stats_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  scope text := current_setting('app.scope', true);
  n bigint;
BEGIN
  PERFORM set_config('app.scope', 'county_admin', true);
  LOCK TABLE case_remedy_stats IN ACCESS EXCLUSIVE MODE;
  DELETE FROM case_remedy_stats;
  INSERT INTO case_remedy_stats SELECT * FROM case_remedy_stats_computed() ORDER BY 1, 2, 3;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('app.scope', coalesce(scope, ''), true);
  RETURN n;
END $$;
REVOKE ALL ON FUNCTION case_remedy_stats_rebuild() FROM PUBLIC;
REVOKE ALL ON FUNCTION case_remedy_stats_add(case_remedy_stats[], case_remedy_stats[]) FROM PUBLIC;
SELECT case_remedy_stats_rebuild();

-- Tenancy: a town reads its own rows, the county every town's. Only the
-- triggers write, as the owner, for whoever may record a remedy.
ALTER TABLE case_remedy_stats ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_remedy_stats FORCE ROW LEVEL SECURITY;
CREATE POLICY case_remedy_stats_read ON case_remedy_stats FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]));
CREATE POLICY case_remedy_stats_insert ON case_remedy_stats FOR INSERT
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY case_remedy_stats_update ON case_remedy_stats FOR UPDATE
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[]))
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
GRANT SELECT ON case_remedy_stats TO zhifa_app;
