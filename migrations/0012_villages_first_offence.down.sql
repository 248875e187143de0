ALTER TABLE list_version_items DROP COLUMN first_offence_list;
ALTER TABLE catalogue_items DROP CONSTRAINT catalogue_items_first_offence_kind, DROP COLUMN first_offence_list;
DROP TABLE villages;
