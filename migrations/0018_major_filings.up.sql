-- Filing review of major penalty decisions (重大行政处罚决定备案审查).
-- What counts as "major" is the county's setting per domain (分类量化、动态
-- 调整), versioned by the day it takes effect: a decision is judged by the
-- version in force on the day it is made. A decision that meets it obliges
-- the town to file it with the county (the 备案表 and the decision, both
-- issued) within a set number of working days; the county reviews it and
-- concludes 予以备案, 责令纠正 or 撤销建议. The last two open a correction
-- task (0017) in the same transaction.

-- The thresholds: domain_id NULL is the county default; a domain's own
-- version replaces it for that domain from its date, until a later version
-- of the domain says it follows the default again (uses_default). Rows are
-- never changed: a change is a new version.
CREATE TABLE major_thresholds (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain_id        bigint REFERENCES domains (id),
  effective_on     date   NOT NULL,
  uses_default     boolean NOT NULL DEFAULT false,
  person_fine_fen  bigint CHECK (person_fine_fen > 0),  -- a fine on a person at least this much
  org_fine_fen     bigint CHECK (org_fine_fen > 0),     -- a fine on an organisation at least this much
  confiscation_fen bigint CHECK (confiscation_fen > 0), -- confiscated gains or property worth at least this much
  revocation       boolean NOT NULL DEFAULT true,       -- 吊销许可证件
  closure          boolean NOT NULL DEFAULT true,       -- 责令停产停业、责令关闭、暂扣许可证件等
  note             text   NOT NULL DEFAULT '' CHECK (length(note) <= 200),
  created_by       bigint REFERENCES users (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE NULLS NOT DISTINCT (domain_id, effective_on),
  CHECK (NOT uses_default OR domain_id IS NOT NULL),
  CHECK (uses_default OR (person_fine_fen IS NOT NULL AND org_fine_fen IS NOT NULL AND confiscation_fen IS NOT NULL))
);
ALTER TABLE major_thresholds ENABLE ROW LEVEL SECURITY;
ALTER TABLE major_thresholds FORCE ROW LEVEL SECURITY;
CREATE POLICY major_thresholds_read ON major_thresholds FOR SELECT USING (true);
CREATE POLICY major_thresholds_insert ON major_thresholds FOR INSERT WITH CHECK (app_scope() = 'county_admin');
GRANT SELECT, INSERT ON major_thresholds TO zhifa_app;
CREATE TRIGGER major_thresholds_frozen BEFORE UPDATE OR DELETE ON major_thresholds
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The county's first version, from the start of the pilot (October 2024):
-- Sichuan's published amounts (川办发〔2014〕3号: 个人五千元、单位五万元以上),
-- licence revocation and closure. The administrator changes it on the
-- thresholds page; Ziyang's own figures are not public.
INSERT INTO major_thresholds (domain_id, effective_on, person_fine_fen, org_fine_fen, confiscation_fen, revocation, closure, note)
VALUES (NULL, '2024-10-01', 500000, 5000000, 5000000, true, true, '县级默认标准（备案审查试点起施行）');

-- One row per major decision: the obligation (made in the decision's
-- transaction), the town's filing, the county's review.
CREATE TABLE major_filings (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id         bigint NOT NULL UNIQUE REFERENCES cases (id),
  town_id         bigint NOT NULL REFERENCES towns (id),
  threshold_id    bigint NOT NULL REFERENCES major_thresholds (id), -- the version the decision met
  decided_on      date   NOT NULL,
  due_on          date   NOT NULL,  -- the last day to file
  reason          text   NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- The town's filing.
  filed_on        date,
  filed_by        bigint REFERENCES users (id),
  filed_by_name   text   NOT NULL DEFAULT '',
  filing_doc_id   bigint REFERENCES documents (id), -- 重大行政处罚决定备案表
  decision_doc_id bigint REFERENCES documents (id), -- 行政处罚决定书
  -- The county's review.
  reviewed_on     date,
  reviewer_id     bigint REFERENCES users (id),
  reviewer_name   text   NOT NULL DEFAULT '',
  panel           text   NOT NULL DEFAULT '' CHECK (length(panel) <= 500), -- members of the joint review group
  findings        text   NOT NULL DEFAULT '' CHECK (length(findings) <= 4000),
  conclusion      text   CHECK (conclusion IN ('filed', 'correct', 'revoke')),
  correction_id   bigint REFERENCES corrections (id),
  CHECK (due_on >= decided_on),
  CHECK ((filed_on IS NULL) = (filed_by IS NULL) AND (filed_on IS NULL) = (filing_doc_id IS NULL)
         AND (filed_on IS NULL) = (decision_doc_id IS NULL)),
  CHECK (filed_on IS NULL OR filed_on >= decided_on),
  CHECK ((conclusion IS NULL) = (reviewed_on IS NULL) AND (conclusion IS NULL) = (reviewer_id IS NULL)),
  CHECK (conclusion IS NULL OR (filed_on IS NOT NULL AND reviewed_on >= filed_on AND findings <> '')),
  CHECK ((conclusion IS NOT NULL AND conclusion <> 'filed') = (correction_id IS NOT NULL))
);
CREATE INDEX major_filings_town_idx ON major_filings (town_id, due_on);

-- Who may change what: the obligation never changes; the town files once
-- (its own filing columns, with documents of the case); the county's
-- reviewers review once what was filed (the review columns only). Any other
-- scope (the administrator, the owner) changes nothing.
CREATE FUNCTION major_filings_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.case_id, NEW.town_id, NEW.threshold_id, NEW.decided_on, NEW.due_on, NEW.reason)
     IS DISTINCT FROM (OLD.case_id, OLD.town_id, OLD.threshold_id, OLD.decided_on, OLD.due_on, OLD.reason) THEN
    RAISE EXCEPTION 'major_filings: the obligation cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF app_scope() = 'town' THEN
    IF OLD.filed_on IS NOT NULL
       OR (NEW.reviewed_on, NEW.reviewer_id, NEW.reviewer_name, NEW.panel, NEW.findings, NEW.conclusion, NEW.correction_id)
          IS DISTINCT FROM (OLD.reviewed_on, OLD.reviewer_id, OLD.reviewer_name, OLD.panel, OLD.findings, OLD.conclusion, OLD.correction_id) THEN
      RAISE EXCEPTION 'major_filings: a town files once and does not review' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT FROM documents WHERE id = NEW.filing_doc_id AND case_id = NEW.case_id AND kind = 'major_filing')
       OR NOT EXISTS (SELECT FROM documents WHERE id = NEW.decision_doc_id AND case_id = NEW.case_id AND kind = 'decision') THEN
      RAISE EXCEPTION 'major_filings: the filing needs the case''s issued 备案表 and decision' USING ERRCODE = 'check_violation';
    END IF;
  ELSIF app_scope() = 'county_read' THEN
    IF OLD.filed_on IS NULL OR OLD.conclusion IS NOT NULL
       OR (NEW.filed_on, NEW.filed_by, NEW.filed_by_name, NEW.filing_doc_id, NEW.decision_doc_id)
          IS DISTINCT FROM (OLD.filed_on, OLD.filed_by, OLD.filed_by_name, OLD.filing_doc_id, OLD.decision_doc_id) THEN
      RAISE EXCEPTION 'major_filings: the county reviews once what was filed' USING ERRCODE = 'insufficient_privilege';
    END IF;
  ELSE
    RAISE EXCEPTION 'major_filings: only the town files and the county reviews' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER major_filings_guard BEFORE UPDATE ON major_filings FOR EACH ROW EXECUTE FUNCTION major_filings_guard();
CREATE TRIGGER major_filings_no_delete BEFORE DELETE ON major_filings FOR EACH ROW EXECUTE FUNCTION refuse_change();

ALTER TABLE major_filings ENABLE ROW LEVEL SECURITY;
ALTER TABLE major_filings FORCE ROW LEVEL SECURITY;
-- A town reads its own; the county reads every town's.
CREATE POLICY major_filings_read ON major_filings FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]));
-- The obligation is written by the decision's own transaction, for a case
-- of the same town.
CREATE POLICY major_filings_insert ON major_filings FOR INSERT
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[])
              AND EXISTS (SELECT FROM cases c WHERE c.id = major_filings.case_id AND c.town_id = major_filings.town_id));
CREATE POLICY major_filings_update ON major_filings FOR UPDATE
  USING (app_scope() = 'county_read' OR town_id = ANY ((SELECT app_write_towns())::bigint[]))
  WITH CHECK (app_scope() = 'county_read' OR town_id = ANY ((SELECT app_write_towns())::bigint[]));
GRANT SELECT, INSERT, UPDATE ON major_filings TO zhifa_app;

INSERT INTO procedure_settings (key, value, label, unit, basis) VALUES
  ('major_filing_working_days', 15, '重大行政处罚决定备案期限（决定后）', '工作日',
   '实务设定（外省规定多为决定之日起十五日内报送备案；紫阳县备案审查试点）')
ON CONFLICT (key, domain_id) DO NOTHING;
