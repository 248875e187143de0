-- Rows whose bytes are in the file store lose their marker: their files stay
-- in ZHIFA_FILES under evidence.sha256.
ALTER TABLE evidence DROP COLUMN stored;
