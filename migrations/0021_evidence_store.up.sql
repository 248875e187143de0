-- Evidence files move out of the database into the content-addressed file
-- store (ZHIFA_FILES, see internal/filestore), named by evidence.sha256.
-- `stored` marks a row whose bytes are in the store; the app writes the file
-- (synced, renamed into place) before it inserts the row, so a stored row
-- never points at a missing file. Rows from before keep their bytes in
-- evidence_files, which is still read but takes no new uploads. The column
-- never changes after insert (evidence_supersede_only allows only the
-- superseded columns to change).
ALTER TABLE evidence ADD COLUMN stored boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN evidence.stored IS 'bytes in the file store under sha256 (else in evidence_files)';
