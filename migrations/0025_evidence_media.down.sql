ALTER TABLE evidence
  DROP COLUMN gps_alt,
  DROP COLUMN gps_lon,
  DROP COLUMN gps_lat,
  DROP COLUMN taken_at;
