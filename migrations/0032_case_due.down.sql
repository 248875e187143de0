ALTER TABLE cases ADD COLUMN next_due_on date, ADD COLUMN next_due_key text NOT NULL DEFAULT '';
UPDATE cases c SET next_due_on = d.next_due_on, next_due_key = d.next_due_key FROM case_due d WHERE d.case_id = c.id;
CREATE INDEX cases_town_due_idx ON cases (town_id, next_due_on) WHERE next_due_on IS NOT NULL;
CREATE INDEX cases_extend_idx ON cases (town_id, next_due_on)
  WHERE suspended_since IS NULL AND state IN ('filed', 'investigating', 'review', 'notice', 'hearing', 'deciding', 'discussion')
    AND next_due_key = 'decision';
CREATE INDEX cases_overdue_idx ON cases (town_id, next_due_on)
  WHERE state IN ('lead', 'filed', 'investigating', 'review', 'notice', 'hearing', 'deciding', 'discussion', 'decided', 'served', 'executing')
    AND next_due_key NOT IN ('statement', 'hearing_request');

CREATE OR REPLACE FUNCTION search_case_totals(q text, town bigint, max_count int, overdue_before date, soon_until date,
                                              OUT matched int, OUT overdue int, OUT due_soon int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  ids constant bigint[] := search_case_ids(q, town, NULL, max_count, false);
BEGIN
  matched := cardinality(ids);
  overdue := 0;
  due_soon := 0;
  IF matched < max_count THEN
    SELECT count(*) FILTER (WHERE next_due_on < overdue_before),
           count(*) FILTER (WHERE next_due_on >= overdue_before AND next_due_on <= soon_until)
      INTO overdue, due_soon
      FROM cases WHERE id = ANY (ids);
  END IF;
END $$;

CREATE OR REPLACE FUNCTION case_due_counts_rebuild() RETURNS bigint
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

DROP TRIGGER cases_due_insert ON cases;
DROP FUNCTION case_due_insert();
DROP TABLE case_due; -- and its count triggers
CREATE TRIGGER cases_due_counts_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_due_counts_track();
CREATE TRIGGER cases_due_counts_update AFTER UPDATE ON cases REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_due_counts_track();
CREATE TRIGGER cases_due_counts_delete AFTER DELETE ON cases REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_due_counts_track();
