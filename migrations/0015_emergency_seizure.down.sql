DELETE FROM case_preservations WHERE approved_by IS NULL;
ALTER TABLE case_preservations
  DROP CONSTRAINT case_preservations_emergency_seize,
  DROP CONSTRAINT case_preservations_approved,
  ALTER COLUMN approved_by SET NOT NULL,
  DROP COLUMN approved_on,
  DROP COLUMN reported_on,
  DROP COLUMN emergency;
