DROP POLICY IF EXISTS certificates_read_case_people ON certificates;
DROP POLICY IF EXISTS users_read_case_people ON users;
DROP INDEX IF EXISTS evidence_uploaded_by_idx;
DROP INDEX IF EXISTS evidence_collected_by_idx;
DROP TRIGGER IF EXISTS cases_county_review_only ON cases;
DROP FUNCTION IF EXISTS cases_county_review_only();

DO $$
DECLARE r record;
BEGIN
  FOR r IN
    SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
    WHERE contype = 'f' AND confrelid = 'cases'::regclass AND conname LIKE '%\_case\_town\_fkey'
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;
END $$;
ALTER TABLE cases DROP CONSTRAINT IF EXISTS cases_id_town_key;
