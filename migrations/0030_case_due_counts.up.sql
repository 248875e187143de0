-- The case list's totals without a scan (issue 12).
--
-- The list shows, above its first page, how many cases match and how many
-- of them are overdue or due within 7 days. With no filter (the page a
-- town opens most) that counted every case of the town, or every case of
-- the county: at a million cases, most of a second of reading. The counts
-- per town and next deadline are kept here instead, by statement triggers
-- on cases in the same transaction as each change, so those totals are a
-- sum over a few hundred rows. 'infinity' stands for "no running deadline".
CREATE TABLE case_due_counts (
  town_id bigint NOT NULL REFERENCES towns (id),
  due_on  date   NOT NULL,
  n       bigint NOT NULL, -- a row may pass through a negative count within a transaction (deltas)
  PRIMARY KEY (town_id, due_on)
);

-- Adds the differences (cases per town and deadline) in key order, so two
-- transactions never wait for each other's rows in opposite order.
CREATE FUNCTION case_due_counts_add(town_ids bigint[], dues date[], deltas bigint[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
  INSERT INTO case_due_counts AS d (town_id, due_on, n)
  SELECT t, due, delta FROM unnest(town_ids, dues, deltas) AS x(t, due, delta)
  WHERE delta <> 0 ORDER BY t, due
  ON CONFLICT (town_id, due_on) DO UPDATE SET n = d.n + EXCLUDED.n
$$;

-- One function for the three statement triggers: each sees the
-- transition tables its event has (old_rows, new_rows).
CREATE FUNCTION case_due_counts_track() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  t bigint[];
  d date[];
  n bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(town_id), array_agg(due), array_agg(k) INTO t, d, n FROM (
      SELECT town_id, coalesce(next_due_on, 'infinity') AS due, count(*) AS k FROM new_rows GROUP BY 1, 2) x;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(town_id), array_agg(due), array_agg(-k) INTO t, d, n FROM (
      SELECT town_id, coalesce(next_due_on, 'infinity') AS due, count(*) AS k FROM old_rows GROUP BY 1, 2) x;
  ELSE
    SELECT array_agg(town_id), array_agg(due), array_agg(k) INTO t, d, n FROM (
      SELECT town_id, due, sum(k)::bigint AS k FROM (
        SELECT town_id, coalesce(next_due_on, 'infinity') AS due, -1 AS k FROM old_rows
        UNION ALL
        SELECT town_id, coalesce(next_due_on, 'infinity'), 1 FROM new_rows) y
      GROUP BY 1, 2 HAVING sum(k) <> 0) x;
  END IF;
  IF t IS NOT NULL THEN
    PERFORM case_due_counts_add(t, d, n);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER cases_due_counts_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_due_counts_track();
CREATE TRIGGER cases_due_counts_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_due_counts_track();
CREATE TRIGGER cases_due_counts_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_due_counts_track();

-- Recounts everything from the cases (after a bulk load with the triggers
-- off); returns how many rows differed, so it is also the check.
CREATE FUNCTION case_due_counts_rebuild() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  differing bigint;
BEGIN
  LOCK TABLE case_due_counts IN EXCLUSIVE MODE;
  CREATE TEMP TABLE due_counts_now ON COMMIT DROP AS
    SELECT town_id, coalesce(next_due_on, 'infinity'::date) AS due_on, count(*)::bigint AS n FROM cases GROUP BY 1, 2;
  SELECT count(*) INTO differing FROM due_counts_now c FULL JOIN case_due_counts d USING (town_id, due_on)
    WHERE c.n IS DISTINCT FROM d.n AND coalesce(c.n, 0) + coalesce(d.n, 0) > 0;
  DELETE FROM case_due_counts;
  INSERT INTO case_due_counts SELECT * FROM due_counts_now ORDER BY 1, 2;
  DROP TABLE due_counts_now;
  RETURN differing;
END $$;
REVOKE ALL ON FUNCTION case_due_counts_rebuild() FROM PUBLIC;
REVOKE ALL ON FUNCTION case_due_counts_add(bigint[], date[], bigint[]) FROM PUBLIC;
SELECT case_due_counts_rebuild();

-- Tenancy: a town reads its own rows, the county every town's. Only the
-- triggers write, as the owner, for whoever may change a case.
ALTER TABLE case_due_counts ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_due_counts FORCE ROW LEVEL SECURITY;
CREATE POLICY case_due_counts_read ON case_due_counts FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]));
CREATE POLICY case_due_counts_insert ON case_due_counts FOR INSERT
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read');
CREATE POLICY case_due_counts_update ON case_due_counts FOR UPDATE
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read')
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read');
GRANT SELECT ON case_due_counts TO zhifa_app;
