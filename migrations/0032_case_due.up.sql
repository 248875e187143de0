-- The cases' next deadline in a narrow table of its own (issue 12).
--
-- A change of the procedure settings or of the holiday calendar moves the
-- stored next deadline of every open case (cases.RefreshAllDue). Kept on
-- cases, each such write rewrote the wide case row and every one of its
-- indexes (fifteen, three of them on the deadline): about 290 s for
-- 800,000 cases at a million. Here a write touches a row of five columns
-- and its two indexes. One row per case, made with the case (trigger
-- cases_due_insert), so the lists join it without an outer join;
-- RefreshDue updates it in the transaction of each action.
CREATE TABLE case_due (
  case_id      bigint  PRIMARY KEY,
  town_id      bigint  NOT NULL REFERENCES towns (id),
  next_due_on  date,   -- the most urgent running deadline; NULL while none runs (suspended, ended)
  next_due_key text    NOT NULL DEFAULT '' CHECK (length(next_due_key) <= 40), -- its deadline.Key
  -- Bumped by every RefreshDue, so that a batch refresh skips a case an
  -- action stored afresh after the batch read it.
  version      int     NOT NULL DEFAULT 0,
  CONSTRAINT case_due_case_town_fkey FOREIGN KEY (case_id, town_id) REFERENCES cases (id, town_id) ON DELETE CASCADE
);

INSERT INTO case_due (case_id, town_id, next_due_on, next_due_key)
SELECT id, town_id, next_due_on, next_due_key FROM cases ORDER BY id;

-- One index besides the key serves the due order and the due filters of
-- the lists (town, then deadline; the cases of one day sorted by id after
-- it) and the deadline queues of todo.go (已逾期, 需延长办案期限: a range of
-- days, with the key read from the index), in place of the three indexes
-- of cases (cases_town_due_idx and the partial cases_extend_idx and
-- cases_overdue_idx of 0027): each index is written again by every
-- deadline that moves. Its entries repeat (a town's cases due the same day
-- for the same clock), which btree deduplication stores once: a refresh
-- writes it about three times faster than (town_id, next_due_on, case_id).
CREATE INDEX case_due_town_idx ON case_due (town_id, next_due_on, next_due_key);

-- Every case gets its row as it is inserted, whoever inserts it.
CREATE FUNCTION case_due_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO case_due (case_id, town_id) SELECT id, town_id FROM new_rows ORDER BY id;
  RETURN NULL;
END $$;
CREATE TRIGGER cases_due_insert AFTER INSERT ON cases REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_due_insert();

-- The list totals of migration 0030 now follow case_due.
DROP TRIGGER cases_due_counts_insert ON cases;
DROP TRIGGER cases_due_counts_update ON cases;
DROP TRIGGER cases_due_counts_delete ON cases;
CREATE TRIGGER case_due_counts_insert AFTER INSERT ON case_due REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_due_counts_track();
CREATE TRIGGER case_due_counts_update AFTER UPDATE ON case_due REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_due_counts_track();
CREATE TRIGGER case_due_counts_delete AFTER DELETE ON case_due REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_due_counts_track();

-- Recounts from the cases (a case without its row counts as without a
-- deadline), as in 0030.
CREATE OR REPLACE FUNCTION case_due_counts_rebuild() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  differing bigint;
BEGIN
  LOCK TABLE case_due_counts IN EXCLUSIVE MODE;
  CREATE TEMP TABLE due_counts_now ON COMMIT DROP AS
    SELECT c.town_id, coalesce(d.next_due_on, 'infinity'::date) AS due_on, count(*)::bigint AS n
    FROM cases c LEFT JOIN case_due d ON d.case_id = c.id GROUP BY 1, 2;
  SELECT count(*) INTO differing FROM due_counts_now c FULL JOIN case_due_counts d USING (town_id, due_on)
    WHERE c.n IS DISTINCT FROM d.n AND coalesce(c.n, 0) + coalesce(d.n, 0) > 0;
  DELETE FROM case_due_counts;
  INSERT INTO case_due_counts SELECT * FROM due_counts_now ORDER BY 1, 2;
  DROP TABLE due_counts_now;
  RETURN differing;
END $$;

-- A search's totals (as 0031 defines them) read the deadlines here.
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
      FROM case_due WHERE case_id = ANY (ids);
  END IF;
END $$;

ALTER TABLE cases DROP COLUMN next_due_on, DROP COLUMN next_due_key;

-- Tenancy as on cases: a town reads and writes its own rows, the county
-- reads all; the county reviewer's review actions store the deadline of
-- any town's case (as cases_update lets them). No DELETE: the row goes
-- with its case.
ALTER TABLE case_due ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_due FORCE ROW LEVEL SECURITY;
CREATE POLICY case_due_read ON case_due FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]));
CREATE POLICY case_due_insert ON case_due FOR INSERT WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY case_due_update ON case_due FOR UPDATE
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read')
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read');
GRANT SELECT, INSERT ON case_due TO zhifa_app;
GRANT UPDATE (next_due_on, next_due_key, version) ON case_due TO zhifa_app;
