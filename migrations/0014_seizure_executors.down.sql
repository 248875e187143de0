ALTER TABLE case_preservations DROP COLUMN executors;
