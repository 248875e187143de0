-- Below the row-level security (issue 10, item 8).
--
-- 1. A child row's case is in the child row's town. The tenancy policies
--    test only a row's own town_id, so before this a town could insert a
--    timeline entry (or evidence, a document...) naming another town's case
--    under its own town_id. A composite foreign key (case_id, town_id) to
--    cases (id, town_id) makes that impossible whatever the policies say;
--    the foreign-key check reads cases past row-level security, so it sees
--    the other town's case and refuses the mismatch (23503). Every table
--    that has both columns gets one: listed from the catalogue so none is
--    forgotten. A NULL case_id (corrections without a case) is not checked
--    (MATCH SIMPLE).
ALTER TABLE cases ADD CONSTRAINT cases_id_town_key UNIQUE (id, town_id);

DO $$
DECLARE t text;
BEGIN
  FOR t IN
    SELECT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
    WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE' AND c.column_name = 'case_id'
      AND c.table_name <> 'cases'
      AND EXISTS (SELECT FROM information_schema.columns c2
                  WHERE c2.table_schema = 'public' AND c2.table_name = c.table_name AND c2.column_name = 'town_id')
    ORDER BY 1
  LOOP
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I FOREIGN KEY (case_id, town_id) REFERENCES cases (id, town_id)',
                   t, t || '_case_town_fkey');
  END LOOP;
END $$;

-- 2. The county reviewer (scope county_read) may update a case only as a
--    legality review does (internal/cases act.go applyReview and the
--    transition around it): the review columns, the state it moves the case
--    to from 法制审核, and the bookkeeping every action writes (version,
--    updated_at, the next deadline). The policy cases_update lets the scope
--    reach every town's case; this trigger narrows what it may change.
CREATE FUNCTION cases_county_review_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  review_cols text[] := ARRAY['reviewed_by', 'reviewed_on', 'review_opinion', 'reviewed_penalties', 'review_count',
                              'review_submitted_on', 'state', 'state_entered_on', 'version', 'updated_at',
                              'next_due_on', 'next_due_key'];
BEGIN
  IF app_scope() <> 'county_read' THEN
    RETURN NEW;
  END IF;
  IF (to_jsonb(NEW) - review_cols) IS DISTINCT FROM (to_jsonb(OLD) - review_cols) THEN
    RAISE EXCEPTION 'the county reviewer may change only what a legality review records'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.state IS DISTINCT FROM OLD.state
     AND NOT (OLD.state = 'review' AND NEW.state IN ('notice', 'deciding', 'investigating')) THEN
    RAISE EXCEPTION 'the county reviewer may move a case only out of legality review'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER cases_county_review_only BEFORE UPDATE ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_county_review_only();

-- 3. An officer moved to another town stays readable by the cases of the
--    town they worked for: a town reads its own users (users_read), and
--    also those who handle or handled one of its cases or collected or
--    uploaded its evidence, with their certificate (the 执法证号 on its
--    documents, the count of certified handlers a review needs). Lists of a
--    town's people (officers, handlers to choose) test u.town_id themselves.
CREATE INDEX evidence_collected_by_idx ON evidence (collected_by, town_id);
CREATE INDEX evidence_uploaded_by_idx ON evidence (uploaded_by, town_id);
CREATE POLICY users_read_case_people ON users FOR SELECT USING (
  EXISTS (SELECT FROM case_officers o
          WHERE o.user_id = users.id AND o.town_id = ANY ((SELECT app_read_towns())::bigint[]))
  OR EXISTS (SELECT FROM evidence e
             WHERE e.collected_by = users.id AND e.town_id = ANY ((SELECT app_read_towns())::bigint[]))
  OR EXISTS (SELECT FROM evidence e
             WHERE e.uploaded_by = users.id AND e.town_id = ANY ((SELECT app_read_towns())::bigint[])));
CREATE POLICY certificates_read_case_people ON certificates FOR SELECT USING (
  EXISTS (SELECT FROM case_officers o
          WHERE o.user_id = certificates.user_id AND o.town_id = ANY ((SELECT app_read_towns())::bigint[])));
