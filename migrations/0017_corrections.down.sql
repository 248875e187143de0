DROP TABLE IF EXISTS correction_events, corrections;
