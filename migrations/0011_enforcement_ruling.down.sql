ALTER TABLE cases DROP COLUMN enforcement_ruling_on, DROP COLUMN enforcement_granted, DROP COLUMN enforcement_ruling;
