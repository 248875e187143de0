-- What a photo or video says about itself, read from its bytes at upload
-- (internal/media): when it was taken (the EXIF DateTimeOriginal of a JPEG
-- or HEIC photo with its offset; a video's creation time) and where (the
-- EXIF GPS position; a video's ISO 6709 location), in WGS 84 degrees. NULL
-- when the file does not say. The officer's 收集日期 stays what the officer
-- stated; the case page flags a photo taken far from it. Like the rest of
-- the row, these never change after insert (evidence_supersede_only).
ALTER TABLE evidence
  ADD COLUMN taken_at timestamptz,
  ADD COLUMN gps_lat numeric(8, 6) CONSTRAINT evidence_gps_lat_range CHECK (gps_lat BETWEEN -90 AND 90),
  ADD COLUMN gps_lon numeric(9, 6) CONSTRAINT evidence_gps_lon_range CHECK (gps_lon BETWEEN -180 AND 180),
  ADD COLUMN gps_alt numeric(7, 1) CONSTRAINT evidence_gps_alt_range CHECK (gps_alt BETWEEN -11000 AND 100000),
  ADD CONSTRAINT evidence_gps_pair CHECK ((gps_lat IS NULL) = (gps_lon IS NULL)),
  ADD CONSTRAINT evidence_gps_alt_with_position CHECK (gps_alt IS NULL OR gps_lat IS NOT NULL);
COMMENT ON COLUMN evidence.taken_at IS 'when the photo or video was taken, as the file says (EXIF, movie header)';
COMMENT ON COLUMN evidence.gps_lat IS 'where it was taken, as the file says: latitude, WGS 84 degrees north';
COMMENT ON COLUMN evidence.gps_lon IS 'where it was taken, as the file says: longitude, WGS 84 degrees east';
COMMENT ON COLUMN evidence.gps_alt IS 'altitude above sea level in metres, as the file says';
