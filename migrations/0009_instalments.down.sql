ALTER TABLE cases DROP COLUMN instalments;
