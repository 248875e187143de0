-- Authority lists (执法事项清单): the county's catalogue of enforcement items
-- and, per town, versioned published lists. A published version is frozen:
-- its items are snapshots, and the database refuses to change or delete them.

ALTER TABLE towns
  ADD COLUMN government_name   text NOT NULL DEFAULT '',
  ADD COLUMN supervision_phone text NOT NULL DEFAULT '';
UPDATE towns SET government_name = name || '人民政府',
  supervision_phone = '0915-43' || lpad((20 + id)::text, 2, '0') || '110';
ALTER TABLE counties ADD COLUMN supervision_phone text NOT NULL DEFAULT '';
UPDATE counties SET supervision_phone = '0915-4321345';

-- Domains (领域) are a managed list.
CREATE TABLE domains (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name     text NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 20),
  position int  NOT NULL DEFAULT 0
);

CREATE TABLE catalogue_items (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code              text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9-]{3,30}$'),
  name              text NOT NULL UNIQUE CHECK (length(name) BETWEEN 4 AND 200),
  kind              text NOT NULL CHECK (kind IN ('行政处罚', '行政强制', '行政检查')),
  domain_id         bigint NOT NULL REFERENCES domains (id),
  violation_basis   text NOT NULL,
  penalty_basis     text NOT NULL DEFAULT '',
  penalty_types     text NOT NULL DEFAULT '',
  penalty_range     text NOT NULL DEFAULT '',
  former_department text NOT NULL,
  -- 裁量基准: [{"circumstance": "...", "range": "..."}]
  discretion        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(discretion) = 'array'),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX catalogue_items_domain_idx ON catalogue_items (domain_id);

-- County data: everyone reads; only the county administrator writes.
ALTER TABLE domains ENABLE ROW LEVEL SECURITY;
ALTER TABLE domains FORCE ROW LEVEL SECURITY;
CREATE POLICY domains_read ON domains FOR SELECT USING (true);
CREATE POLICY domains_write ON domains FOR ALL USING (app_scope() = 'county_admin') WITH CHECK (app_scope() = 'county_admin');
ALTER TABLE catalogue_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE catalogue_items FORCE ROW LEVEL SECURITY;
CREATE POLICY catalogue_read ON catalogue_items FOR SELECT USING (true);
CREATE POLICY catalogue_write ON catalogue_items FOR ALL USING (app_scope() = 'county_admin') WITH CHECK (app_scope() = 'county_admin');
GRANT SELECT, INSERT, UPDATE ON domains, catalogue_items TO zhifa_app;

-- A draft is the county's proposal of one item selection for one or several
-- towns. It is internal: only county roles see it.
CREATE TABLE list_drafts (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title        text NOT NULL CHECK (length(title) BETWEEN 2 AND 100),
  note         text NOT NULL DEFAULT '',
  status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'discarded')),
  created_by   bigint NOT NULL REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE list_draft_towns (
  draft_id bigint NOT NULL REFERENCES list_drafts (id) ON DELETE CASCADE,
  town_id  bigint NOT NULL REFERENCES towns (id),
  PRIMARY KEY (draft_id, town_id)
);
CREATE TABLE list_draft_items (
  draft_id bigint NOT NULL REFERENCES list_drafts (id) ON DELETE CASCADE,
  item_id  bigint NOT NULL REFERENCES catalogue_items (id),
  PRIMARY KEY (draft_id, item_id)
);
ALTER TABLE list_drafts ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_drafts FORCE ROW LEVEL SECURITY;
ALTER TABLE list_draft_towns ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_draft_towns FORCE ROW LEVEL SECURITY;
ALTER TABLE list_draft_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_draft_items FORCE ROW LEVEL SECURITY;
CREATE POLICY drafts_read ON list_drafts FOR SELECT USING (app_scope() IN ('county_read', 'county_admin'));
CREATE POLICY drafts_write ON list_drafts FOR ALL USING (app_scope() = 'county_admin') WITH CHECK (app_scope() = 'county_admin');
CREATE POLICY draft_towns_read ON list_draft_towns FOR SELECT USING (app_scope() IN ('county_read', 'county_admin'));
CREATE POLICY draft_towns_write ON list_draft_towns FOR ALL USING (app_scope() = 'county_admin') WITH CHECK (app_scope() = 'county_admin');
CREATE POLICY draft_items_read ON list_draft_items FOR SELECT USING (app_scope() IN ('county_read', 'county_admin'));
CREATE POLICY draft_items_write ON list_draft_items FOR ALL USING (app_scope() = 'county_admin') WITH CHECK (app_scope() = 'county_admin');
GRANT SELECT, INSERT, UPDATE, DELETE ON list_drafts, list_draft_towns, list_draft_items TO zhifa_app;

-- A published list version of one town, in force from effective_from until
-- the next version's effective_from. Published lists are public.
CREATE TABLE list_versions (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  town_id        bigint NOT NULL REFERENCES towns (id),
  draft_id       bigint REFERENCES list_drafts (id),
  effective_from date NOT NULL,
  note           text NOT NULL DEFAULT '',
  published_at   timestamptz NOT NULL DEFAULT now(),
  published_by   bigint REFERENCES users (id),
  UNIQUE (town_id, effective_from)
);

-- The items of a version, frozen as they stood when it was published.
CREATE TABLE list_version_items (
  version_id        bigint NOT NULL REFERENCES list_versions (id),
  town_id           bigint NOT NULL REFERENCES towns (id),
  position          int    NOT NULL CHECK (position > 0), -- 序号
  item_id           bigint NOT NULL REFERENCES catalogue_items (id),
  code              text NOT NULL,
  name              text NOT NULL,
  kind              text NOT NULL,
  domain            text NOT NULL,
  domain_position   int  NOT NULL,
  violation_basis   text NOT NULL,
  penalty_basis     text NOT NULL,
  penalty_types     text NOT NULL,
  penalty_range     text NOT NULL,
  former_department text NOT NULL,
  discretion        jsonb NOT NULL,
  PRIMARY KEY (version_id, item_id),
  UNIQUE (version_id, position)
);
CREATE INDEX list_version_items_item_idx ON list_version_items (item_id, town_id);

ALTER TABLE list_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_versions FORCE ROW LEVEL SECURITY;
ALTER TABLE list_version_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE list_version_items FORCE ROW LEVEL SECURITY;
CREATE POLICY versions_read ON list_versions FOR SELECT USING (true);
CREATE POLICY versions_insert ON list_versions FOR INSERT WITH CHECK (app_scope() = 'county_admin');
CREATE POLICY version_items_read ON list_version_items FOR SELECT USING (true);
CREATE POLICY version_items_insert ON list_version_items FOR INSERT WITH CHECK (app_scope() = 'county_admin');
-- No UPDATE or DELETE is granted: a published version never changes.
GRANT SELECT, INSERT ON list_versions, list_version_items TO zhifa_app;

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: published rows cannot be changed or deleted', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER list_versions_frozen BEFORE UPDATE OR DELETE ON list_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER list_version_items_frozen BEFORE UPDATE OR DELETE ON list_version_items
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The version of a town's list in force on a day.
CREATE FUNCTION list_version_on(p_town bigint, p_day date) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT id FROM list_versions
  WHERE town_id = p_town AND effective_from <= p_day
  ORDER BY effective_from DESC LIMIT 1
$$;

-- "清单之外无执法": is the item on the town's list in force on that day?
CREATE FUNCTION authority_item_in_force(p_town bigint, p_item bigint, p_day date) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT FROM list_version_items
                 WHERE version_id = list_version_on(p_town, p_day) AND item_id = p_item)
$$;
GRANT EXECUTE ON FUNCTION list_version_on(bigint, date), authority_item_in_force(bigint, bigint, date) TO zhifa_app;

-- For tables that reference an item (cases): attach as
--   CREATE TRIGGER ... BEFORE INSERT OR UPDATE ON cases FOR EACH ROW
--   EXECUTE FUNCTION authority_check_item('town_id', 'item_id', 'filed_on');
CREATE FUNCTION authority_check_item() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r jsonb := to_jsonb(NEW);
  v_town bigint := (r ->> TG_ARGV[0])::bigint;
  v_item bigint := (r ->> TG_ARGV[1])::bigint;
  v_day  date   := (r ->> TG_ARGV[2])::date;
BEGIN
  -- A lead has no filing date yet: the rule applies from filing on.
  IF v_item IS NULL OR v_day IS NULL THEN
    RETURN NEW;
  END IF;
  IF NOT authority_item_in_force(v_town, v_item, v_day) THEN
    RAISE EXCEPTION '清单之外无执法: item % is not on the list of town % in force on %', v_item, v_town, v_day
      USING ERRCODE = 'check_violation', CONSTRAINT = 'authority_item_in_force';
  END IF;
  RETURN NEW;
END $$;
