-- The court's ruling on an application for enforcement (AEL arts. 57-58):
-- granted or refused, and when; the case keeps it after closing.
ALTER TABLE cases
  ADD COLUMN enforcement_ruling_on date,
  ADD COLUMN enforcement_granted boolean,
  ADD COLUMN enforcement_ruling text NOT NULL DEFAULT '';
