ALTER TABLE list_version_items
  DROP COLUMN IF EXISTS fine_min_person_fen, DROP COLUMN IF EXISTS fine_max_person_fen,
  DROP COLUMN IF EXISTS fine_min_org_fen, DROP COLUMN IF EXISTS fine_max_org_fen,
  DROP COLUMN IF EXISTS warning, DROP COLUMN IF EXISTS confiscation,
  DROP COLUMN IF EXISTS suspension, DROP COLUMN IF EXISTS revocation, DROP COLUMN IF EXISTS other_penalty;
ALTER TABLE catalogue_items
  DROP CONSTRAINT IF EXISTS catalogue_items_penalties_kind,
  DROP CONSTRAINT IF EXISTS catalogue_items_fine_org_range,
  DROP CONSTRAINT IF EXISTS catalogue_items_fine_person_range,
  DROP COLUMN IF EXISTS fine_min_person_fen, DROP COLUMN IF EXISTS fine_max_person_fen,
  DROP COLUMN IF EXISTS fine_min_org_fen, DROP COLUMN IF EXISTS fine_max_org_fen,
  DROP COLUMN IF EXISTS warning, DROP COLUMN IF EXISTS confiscation,
  DROP COLUMN IF EXISTS suspension, DROP COLUMN IF EXISTS revocation, DROP COLUMN IF EXISTS other_penalty;
