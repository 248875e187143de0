ALTER TABLE users DROP COLUMN IF EXISTS legal_qualification_no;

-- Heads cannot be deleted once they have acted on cases: they are kept,
-- deactivated, as team leaders (a role that existed before), so the old
-- constraint holds again.
UPDATE users SET role = 'leader', active = false, updated_at = now() WHERE role = 'head';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('officer', 'leader', 'town_reviewer', 'county_reviewer', 'county_admin'));
