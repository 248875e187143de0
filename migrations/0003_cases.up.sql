-- Case files (案件) and the enforcement workflow. The state machine lives in
-- Go (internal/workflow); the database keeps each case's facts, refuses a case
-- outside its town's item list, numbers cases gap-free per town and year, and
-- keeps the timeline append-only.

-- Procedure settings: the practice values of the procedure notes, per domain
-- where a domain row exists, else the county default (domain_id NULL).
CREATE TABLE procedure_settings (
  key       text   NOT NULL,
  domain_id bigint REFERENCES domains (id),
  value     bigint NOT NULL CHECK (value >= 0),
  label     text   NOT NULL,
  unit      text   NOT NULL,
  basis     text   NOT NULL DEFAULT '',
  UNIQUE NULLS NOT DISTINCT (key, domain_id)
);
INSERT INTO procedure_settings (key, value, label, unit, basis) VALUES
  ('decision_days',          90,       '作出处罚决定期限（立案之日起）', '日',     '行政处罚法第六十条'),
  ('extension_days',         30,       '经批准延长的期限（每次）',       '日',     '实务设定'),
  ('statement_working_days', 3,        '陈述申辩期（告知送达后）',       '工作日', '实务设定（3至5个工作日）'),
  ('hearing_request_days',   5,        '听证申请期（告知送达后）',       '日',     '行政处罚法第六十四条'),
  ('review_working_days',    5,        '法制审核期限',                   '工作日', '实务设定'),
  ('service_days',           7,        '决定书送达期限（决定后）',       '日',     '行政处罚法第六十一条'),
  ('payment_days',           15,       '缴纳罚款期限（送达后）',         '日',     '行政处罚法第六十七条'),
  ('limitation_years',       2,        '追责时效（违法行为发生之日起）', '年',     '行政处罚法第三十六条'),
  ('due_soon_days',          7,        '到期提醒（提前）',               '日',     '实务设定'),
  ('hearing_person_fen',     500000,   '听证标准：对个人罚款达到',       '分',     '实务设定（按领域）'),
  ('hearing_org_fen',        10000000, '听证标准：对单位罚款达到',       '分',     '实务设定（按领域）'),
  ('summary_person_cap_fen', 20000,    '简易程序：对个人罚款上限',       '分',     '行政处罚法第五十一条'),
  ('summary_org_cap_fen',    300000,   '简易程序：对单位罚款上限',       '分',     '行政处罚法第五十一条'),
  ('evidence_max_bytes',     20971520, '证据文件大小上限',               '字节',   '系统设定');
ALTER TABLE procedure_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE procedure_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY settings_read ON procedure_settings FOR SELECT USING (true);
CREATE POLICY settings_write ON procedure_settings FOR ALL USING (app_scope() = 'county_admin') WITH CHECK (app_scope() = 'county_admin');
GRANT SELECT, INSERT, UPDATE, DELETE ON procedure_settings TO zhifa_app;

-- Public holidays and adjusted working days (调休), filled by the administrator.
CREATE TABLE holidays (
  day  date PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name text NOT NULL DEFAULT ''
);
ALTER TABLE holidays ENABLE ROW LEVEL SECURITY;
ALTER TABLE holidays FORCE ROW LEVEL SECURITY;
CREATE POLICY holidays_read ON holidays FOR SELECT USING (true);
CREATE POLICY holidays_write ON holidays FOR ALL USING (app_scope() = 'county_admin') WITH CHECK (app_scope() = 'county_admin');
GRANT SELECT, INSERT, UPDATE, DELETE ON holidays TO zhifa_app;

-- Case numbers: one counter per town and year, incremented in the filing
-- transaction, so numbers are gap-free (a rollback returns the number) and
-- unique (the row lock serialises concurrent filings).
CREATE TABLE case_counters (
  town_id bigint NOT NULL REFERENCES towns (id),
  year    int    NOT NULL,
  last    int    NOT NULL,
  PRIMARY KEY (town_id, year)
);

CREATE TABLE cases (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  town_id        bigint NOT NULL REFERENCES towns (id),
  procedure      text   NOT NULL CHECK (procedure IN ('general', 'summary')),
  state          text   NOT NULL,
  item_id        bigint NOT NULL REFERENCES catalogue_items (id),
  year           int,
  seq            int,
  number         text UNIQUE,
  source         text   NOT NULL CHECK (source IN ('patrol', 'complaint', 'assigned', 'transferred_in', 'monitoring')),
  party_kind     text   NOT NULL CHECK (party_kind IN ('person', 'org')),
  party_name     text   NOT NULL CHECK (length(party_name) BETWEEN 1 AND 100),
  party_id_number text  NOT NULL DEFAULT '',
  party_phone    text   NOT NULL DEFAULT '',
  party_address  text   NOT NULL DEFAULT '',
  party_legal_rep text  NOT NULL DEFAULT '',
  place_village  text   NOT NULL DEFAULT '',
  place_address  text   NOT NULL DEFAULT '',
  act_on         date   NOT NULL,
  discovered_on  date   NOT NULL,
  filed_on       date,
  facts          text   NOT NULL DEFAULT '',
  created_by     bigint NOT NULL REFERENCES users (id),
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  version        int    NOT NULL DEFAULT 1, -- optimistic locking for concurrent edits

  -- Workflow facts, written by the transitions.
  suspended_since      date,
  extensions           int    NOT NULL DEFAULT 0,
  review_submitted_on  date,
  reviewed_by          bigint REFERENCES users (id),
  reviewed_on          date,
  review_opinion       text   NOT NULL DEFAULT '',
  notice_served_on     date,
  notice_fine_fen      bigint NOT NULL DEFAULT 0 CHECK (notice_fine_fen >= 0),
  notice_text          text   NOT NULL DEFAULT '',
  hearing_right        boolean NOT NULL DEFAULT false,
  statement_waived     boolean NOT NULL DEFAULT false,
  new_notice_served    boolean NOT NULL DEFAULT false,
  hearing_requested_on date,
  hearing_held_on      date,
  decided_on           date,
  decided_by           bigint REFERENCES users (id),
  penalties            jsonb  NOT NULL DEFAULT '[]',
  decision_basis       text   NOT NULL DEFAULT '', -- the item's penalty basis as listed on the filing date, frozen
  fine_fen             bigint NOT NULL DEFAULT 0 CHECK (fine_fen >= 0),
  has_order            boolean NOT NULL DEFAULT false,
  order_done_on        date,
  enforcement_applied_on date,
  decision_served_on   date,
  service_method       text   NOT NULL DEFAULT '',
  closed_on            date,
  outcome_reason       text   NOT NULL DEFAULT '', -- not filed / no penalty / revoked
  transfer_body        text   NOT NULL DEFAULT '',
  -- The most urgent running deadline, kept by the application after every
  -- action (NULL while suspended or when nothing runs), for the due lists.
  next_due_on          date,
  next_due_key         text   NOT NULL DEFAULT '',

  CHECK ((number IS NULL) = (filed_on IS NULL)),
  CHECK (discovered_on >= act_on),
  UNIQUE (town_id, year, seq)
);
CREATE INDEX cases_town_state_idx ON cases (town_id, state, id DESC);
CREATE INDEX cases_town_filed_idx ON cases (town_id, filed_on DESC, id DESC);
CREATE INDEX cases_town_item_idx ON cases (town_id, item_id, id DESC);
CREATE INDEX cases_town_id_idx ON cases (town_id, id DESC);
CREATE INDEX cases_seq_idx ON cases (seq, town_id); -- search by "N号"
CREATE INDEX cases_town_due_idx ON cases (town_id, next_due_on) WHERE next_due_on IS NOT NULL;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX cases_search_idx ON cases USING gin ((coalesce(number, '') || ' ' || party_name || ' ' || place_village || ' ' || place_address) gin_trgm_ops);
CREATE TRIGGER cases_item_in_force BEFORE INSERT OR UPDATE OF item_id, filed_on, town_id ON cases
  FOR EACH ROW EXECUTE FUNCTION authority_check_item('town_id', 'item_id', 'filed_on');

CREATE TABLE case_officers (
  case_id bigint NOT NULL REFERENCES cases (id),
  town_id bigint NOT NULL REFERENCES towns (id),
  user_id bigint NOT NULL REFERENCES users (id),
  lead    boolean NOT NULL DEFAULT false, -- 主办 (else 协办)
  PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_officers_user_idx ON case_officers (town_id, user_id, case_id);

-- 中止: a suspension pauses the case clock until it is resumed.
CREATE TABLE case_suspensions (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id    bigint NOT NULL REFERENCES cases (id),
  town_id    bigint NOT NULL REFERENCES towns (id),
  started_on date   NOT NULL,
  reason     text   NOT NULL,
  resumed_on date,
  CHECK (resumed_on IS NULL OR resumed_on >= started_on)
);
CREATE INDEX case_suspensions_case_idx ON case_suspensions (case_id);

-- 陈述申辩: statements and defences, each rechecked (复核) before a decision.
CREATE TABLE case_statements (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id      bigint NOT NULL REFERENCES cases (id),
  town_id      bigint NOT NULL REFERENCES towns (id),
  received_on  date   NOT NULL,
  content      text   NOT NULL,
  recheck      text   NOT NULL DEFAULT '', -- 复核意见
  rechecked_on date
);
CREATE INDEX case_statements_case_idx ON case_statements (case_id);

CREATE TABLE case_payments (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id    bigint NOT NULL REFERENCES cases (id),
  town_id    bigint NOT NULL REFERENCES towns (id),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  surcharge_fen bigint NOT NULL DEFAULT 0 CHECK (surcharge_fen >= 0),
  paid_on    date   NOT NULL,
  receipt_no text   NOT NULL CHECK (length(receipt_no) BETWEEN 1 AND 60),
  recorded_by bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX case_payments_case_idx ON case_payments (case_id);

-- Reconsideration (复议) and litigation (诉讼) outcomes.
CREATE TABLE case_remedies (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id  bigint NOT NULL REFERENCES cases (id),
  town_id  bigint NOT NULL REFERENCES towns (id),
  kind     text   NOT NULL CHECK (kind IN ('reconsideration', 'litigation')),
  filed_on date   NOT NULL,
  outcome  text   NOT NULL DEFAULT 'pending' CHECK (outcome IN ('pending', 'upheld', 'corrected', 'withdrawn')),
  decided_on date,
  note     text   NOT NULL DEFAULT ''
);

-- The whole-process record (全过程记录): append-only.
CREATE TABLE case_events (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id    bigint NOT NULL REFERENCES cases (id),
  town_id    bigint NOT NULL REFERENCES towns (id),
  at         timestamptz NOT NULL,
  actor_id   bigint NOT NULL REFERENCES users (id),
  actor_name text   NOT NULL, -- as the record stood: readable by the town even for county staff
  action     text   NOT NULL,
  from_state text   NOT NULL DEFAULT '',
  to_state   text   NOT NULL DEFAULT '',
  summary    text   NOT NULL,
  reason     text   NOT NULL DEFAULT '',
  data       jsonb  NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case_idx ON case_events (case_id, id);
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Evidence (证据, APL art. 46): never deleted, only superseded.
CREATE TABLE evidence (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id        bigint NOT NULL REFERENCES cases (id),
  town_id        bigint NOT NULL REFERENCES towns (id),
  kind           text   NOT NULL CHECK (kind IN ('documentary', 'physical', 'audiovisual', 'electronic', 'witness',
                                                  'party_statement', 'expert_opinion', 'inspection_record', 'scene_record')),
  title          text   NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  filename       text   NOT NULL,
  content_type   text   NOT NULL,
  size_bytes     bigint NOT NULL CHECK (size_bytes > 0),
  sha256         text   NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  collected_by   bigint NOT NULL REFERENCES users (id),
  collected_on   date   NOT NULL,
  uploaded_by    bigint NOT NULL REFERENCES users (id),
  uploaded_at    timestamptz NOT NULL DEFAULT now(),
  superseded_at  timestamptz,
  superseded_by  bigint REFERENCES users (id),
  superseded_reason text NOT NULL DEFAULT ''
);
CREATE INDEX evidence_case_idx ON evidence (case_id);
CREATE TABLE evidence_files (
  evidence_id bigint PRIMARY KEY REFERENCES evidence (id),
  town_id     bigint NOT NULL REFERENCES towns (id),
  data        bytea  NOT NULL
);
-- Evidence is never deleted; only the superseded columns may change.
CREATE FUNCTION evidence_only_supersede() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'evidence is never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (to_jsonb(NEW) - 'superseded_at' - 'superseded_by' - 'superseded_reason')
     IS DISTINCT FROM (to_jsonb(OLD) - 'superseded_at' - 'superseded_by' - 'superseded_reason')
     OR OLD.superseded_at IS NOT NULL THEN
    RAISE EXCEPTION 'evidence can only be marked superseded, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER evidence_supersede_only BEFORE UPDATE OR DELETE ON evidence
  FOR EACH ROW EXECUTE FUNCTION evidence_only_supersede();
CREATE TRIGGER evidence_files_frozen BEFORE UPDATE OR DELETE ON evidence_files
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Tenancy: every case table is town-owned.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['case_counters', 'cases', 'case_officers', 'case_suspensions', 'case_statements',
                           'case_payments', 'case_remedies', 'case_events', 'evidence', 'evidence_files'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]))', t || '_read', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]))', t || '_insert', t);
  END LOOP;
END $$;
-- Updates: case rows by their town (and the county reviewer records reviews),
-- counters by their town; nothing else is ever updated but evidence marks.
CREATE POLICY cases_update ON cases FOR UPDATE
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read')
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read');
CREATE POLICY case_counters_update ON case_counters FOR UPDATE USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY case_suspensions_update ON case_suspensions FOR UPDATE USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY case_statements_update ON case_statements FOR UPDATE USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY case_remedies_update ON case_remedies FOR UPDATE USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY evidence_update ON evidence FOR UPDATE USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY case_events_county_insert ON case_events FOR INSERT WITH CHECK (app_scope() = 'county_read');

GRANT SELECT, INSERT, UPDATE ON case_counters, cases, case_suspensions, case_statements, case_remedies, evidence TO zhifa_app;
GRANT SELECT, INSERT ON case_officers, case_payments, case_events, evidence_files TO zhifa_app;

-- Search by number, party or place. Row-level security evaluates its own
-- test before any non-leakproof condition such as ILIKE, so a query under
-- the app role cannot use the trigram index and reads every row of the
-- town. This function runs as the schema owner (which may bypass RLS where
-- the deployment grants it BYPASSRLS, as the local cluster does) and applies
-- the same tenancy test itself, from the caller's own settings: it returns
-- only ids the caller may read, newest first.
CREATE FUNCTION search_case_ids(q text, max_rows int) RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id FROM cases
  WHERE town_id = ANY (app_read_towns())
    AND (coalesce(number, '') || ' ' || party_name || ' ' || place_village || ' ' || place_address) ILIKE '%' || q || '%'
  ORDER BY id DESC
  LIMIT max_rows
$$;
REVOKE ALL ON FUNCTION search_case_ids(text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_case_ids(text, int) TO zhifa_app;
