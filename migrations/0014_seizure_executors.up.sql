-- Who carried out a seizure on the spot: two or more certified officers of
-- the case (AEL art. 18(2)-(3)).
ALTER TABLE case_preservations ADD COLUMN executors bigint[] NOT NULL DEFAULT '{}';
