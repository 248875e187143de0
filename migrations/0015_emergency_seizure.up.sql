-- 紧急情况当场查封扣押 (行政强制法第十九条): carried out on the spot before
-- approval, reported to the head within 24 hours and approved afterwards;
-- the head who finds it should not have been taken has it released at
-- once. reported_on is the day the head was told (approval or release);
-- approved_on and approved_by the later approval. Until approved, an
-- emergency seizure has no approver.
ALTER TABLE case_preservations
  ADD COLUMN emergency   boolean NOT NULL DEFAULT false,
  ADD COLUMN reported_on date,
  ADD COLUMN approved_on date,
  ALTER COLUMN approved_by DROP NOT NULL,
  ADD CONSTRAINT case_preservations_approved
    CHECK (approved_by IS NOT NULL OR emergency AND approved_on IS NULL),
  ADD CONSTRAINT case_preservations_emergency_seize
    CHECK (NOT emergency OR kind = 'seize');
