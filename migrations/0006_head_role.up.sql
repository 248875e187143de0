-- The town's 行政机关负责人 (镇长 or the deputy in charge) as a town role,
-- and the reviewers' 法律职业资格证书 number.

-- 'head' is a town role: it carries a town (the users_check constraint keeps
-- town_id NULL for the county roles only, so it needs no change).
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('officer', 'leader', 'head', 'town_reviewer', 'county_reviewer', 'county_admin'));

-- 法律职业资格证书编号 of a legal reviewer (town_reviewer, county_reviewer);
-- '' when none is on record. Recorded by the county administrator.
ALTER TABLE users ADD COLUMN legal_qualification_no text NOT NULL DEFAULT ''
  CONSTRAINT users_legal_qualification_no_check CHECK (legal_qualification_no ~ '^[0-9A-Za-z]{0,40}$');
