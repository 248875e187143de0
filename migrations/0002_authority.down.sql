DROP FUNCTION IF EXISTS authority_check_item();
DROP FUNCTION IF EXISTS authority_item_in_force(bigint, bigint, date);
DROP FUNCTION IF EXISTS list_version_on(bigint, date);
DROP TABLE IF EXISTS list_version_items, list_versions;
DROP FUNCTION IF EXISTS refuse_change();
DROP TABLE IF EXISTS list_draft_items, list_draft_towns, list_drafts;
DROP TABLE IF EXISTS catalogue_items, domains;
ALTER TABLE counties DROP COLUMN IF EXISTS supervision_phone;
ALTER TABLE towns DROP COLUMN IF EXISTS supervision_phone, DROP COLUMN IF EXISTS government_name;
