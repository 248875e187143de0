ALTER TABLE case_payments DROP CONSTRAINT case_payments_onspot_ground_explained,
  DROP COLUMN onspot_reason, DROP COLUMN onspot_ground;
DROP TRIGGER case_preservations_item_in_force ON case_preservations;
ALTER TABLE case_preservations DROP COLUMN item_id;
DROP TRIGGER cases_demolition_item_in_force ON cases;
ALTER TABLE cases DROP CONSTRAINT cases_demolition_after_deadline, DROP CONSTRAINT cases_demolition_deadline_after_notice,
  DROP COLUMN demolished_by, DROP COLUMN demolition_record, DROP COLUMN demolition_item_id, DROP COLUMN demolished_on,
  DROP COLUMN demolition_announced_by, DROP COLUMN demolition_notice, DROP COLUMN demolition_deadline,
  DROP COLUMN demolition_announced_on;
