-- Jurisdiction by area (行政处罚法第二十二条): each town's villages and
-- residential communities (行政村/社区), so that the place of an act can be
-- chosen from the town's own area instead of typed freely. County data:
-- everyone reads; only the county administrator writes.
CREATE TABLE villages (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  town_id  bigint NOT NULL REFERENCES towns (id),
  name     text   NOT NULL CHECK (length(name) BETWEEN 2 AND 20),
  position int    NOT NULL DEFAULT 0,
  UNIQUE (town_id, name)
);
ALTER TABLE villages ENABLE ROW LEVEL SECURITY;
ALTER TABLE villages FORCE ROW LEVEL SECURITY;
CREATE POLICY villages_read ON villages FOR SELECT USING (true);
CREATE POLICY villages_write ON villages FOR ALL USING (app_scope() = 'county_admin') WITH CHECK (app_scope() = 'county_admin');
GRANT SELECT, INSERT, UPDATE, DELETE ON villages TO zhifa_app;

-- 首违不罚清单: the items of which a first minor offence, corrected in
-- time, is not penalised (行政处罚法第三十三条第一款). Only 行政处罚 items
-- may be on it. Published versions snapshot the flag like the penalties;
-- versions published before this migration read false.
ALTER TABLE catalogue_items
  ADD COLUMN first_offence_list boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT catalogue_items_first_offence_kind CHECK (kind = '行政处罚' OR NOT first_offence_list);
ALTER TABLE list_version_items
  ADD COLUMN first_offence_list boolean NOT NULL DEFAULT false;
