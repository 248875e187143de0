-- Documents (文书) and the dossier (案卷). A document is drafted (the
-- officer's own words kept in document_drafts), then issued: the issued row
-- holds the rendered text, the data it was made from and their SHA-256, and
-- never changes again. A wrong document is replaced by a new one that names
-- it (supersedes); both stay. External documents take a number per town,
-- code and year from document_counters, gap-free like case numbers.

-- County wording a county changes without a release (issuing body, bank,
-- remedy bodies, standard phrases, seal text, codes per town), versioned
-- by the day it takes effect, like the item lists: a document uses the
-- version in force on the day it is issued.
CREATE TABLE document_settings (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  effective_on date   NOT NULL UNIQUE,
  settings     jsonb  NOT NULL,
  note         text   NOT NULL DEFAULT '',
  created_by   bigint REFERENCES users (id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE document_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY document_settings_read ON document_settings FOR SELECT USING (true);
CREATE POLICY document_settings_insert ON document_settings FOR INSERT WITH CHECK (app_scope() = 'county_admin');
GRANT SELECT, INSERT ON document_settings TO zhifa_app;
CREATE TRIGGER document_settings_frozen BEFORE UPDATE OR DELETE ON document_settings
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE document_counters (
  town_id bigint NOT NULL REFERENCES towns (id),
  code    text   NOT NULL,
  year    int    NOT NULL,
  last    int    NOT NULL,
  PRIMARY KEY (town_id, code, year)
);

-- The officer's words of a document not yet issued, one draft per case and
-- kind (the next document of that kind).
CREATE TABLE document_drafts (
  case_id    bigint NOT NULL REFERENCES cases (id),
  town_id    bigint NOT NULL REFERENCES towns (id),
  kind       text   NOT NULL,
  fields     jsonb  NOT NULL DEFAULT '{}',
  updated_by bigint NOT NULL REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, kind)
);

CREATE TABLE documents (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id     bigint NOT NULL REFERENCES cases (id),
  town_id     bigint NOT NULL REFERENCES towns (id),
  kind        text   NOT NULL,
  title       text   NOT NULL,
  code        text   NOT NULL DEFAULT '', -- 文书类别代字; '' for internal forms
  year        int,
  seq         int,
  number      text UNIQUE,                -- 紫毛坝综执罚〔2025〕3号; NULL for internal forms
  issued_on   date   NOT NULL,
  issued_at   timestamptz NOT NULL DEFAULT now(),
  issued_by   bigint NOT NULL REFERENCES users (id),
  issued_by_name text NOT NULL,
  supersedes  bigint UNIQUE REFERENCES documents (id),
  supersede_reason text NOT NULL DEFAULT '',
  serves      bigint REFERENCES documents (id), -- a 送达回证: the document it proves served
  settings_id bigint REFERENCES document_settings (id),
  html        text   NOT NULL,               -- the rendered document, as issued
  data        jsonb  NOT NULL,               -- the data it was made from
  sha256      text   NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  CHECK ((number IS NULL) = (seq IS NULL)),
  CHECK (supersedes IS NULL OR supersede_reason <> ''),
  UNIQUE (town_id, code, year, seq)
);
CREATE INDEX documents_case_idx ON documents (case_id, id);
CREATE TRIGGER documents_frozen BEFORE UPDATE OR DELETE ON documents
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Service (送达) of an issued document: one row per attempt that served it.
CREATE TABLE document_services (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  document_id  bigint NOT NULL REFERENCES documents (id),
  case_id      bigint NOT NULL REFERENCES cases (id),
  town_id      bigint NOT NULL REFERENCES towns (id),
  method       text   NOT NULL,
  served_on    date   NOT NULL,
  recipient    text   NOT NULL,
  relation     text   NOT NULL DEFAULT '',  -- 代收人与当事人关系
  address      text   NOT NULL DEFAULT '',
  servers      text   NOT NULL DEFAULT '',
  refused      boolean NOT NULL DEFAULT false,
  witness      text   NOT NULL DEFAULT '',
  note         text   NOT NULL DEFAULT '',
  scan_evidence bigint REFERENCES evidence (id), -- the signed 送达回证 scanned
  receipt_id   bigint REFERENCES documents (id), -- the 送达回证 issued for it
  recorded_by  bigint NOT NULL REFERENCES users (id),
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT refused OR witness <> '' OR note <> '')
);
CREATE INDEX document_services_doc_idx ON document_services (document_id);
CREATE INDEX document_services_case_idx ON document_services (case_id);
CREATE TRIGGER document_services_frozen BEFORE UPDATE OR DELETE ON document_services
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['document_counters', 'document_drafts', 'documents', 'document_services'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]))', t || '_read', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]))', t || '_insert', t);
  END LOOP;
END $$;
CREATE POLICY document_counters_update ON document_counters FOR UPDATE
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY document_drafts_update ON document_drafts FOR UPDATE
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY document_drafts_delete ON document_drafts FOR DELETE
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[]));
GRANT SELECT, INSERT, UPDATE ON document_counters, document_drafts TO zhifa_app;
GRANT DELETE ON document_drafts TO zhifa_app; -- a draft is gone once issued
-- Issued documents and service records: read and added, never changed. The
-- app role has no UPDATE or DELETE on them at all; the triggers also stop
-- the owner.
GRANT SELECT, INSERT ON documents, document_services TO zhifa_app;
