-- Procedural legality (issue 7): what a case must record so that no step can
-- break the Administrative Penalty Law. Dates a user declares are kept beside
-- the moment they were entered; approvals record their approver; the proposed
-- penalty, each legal review, each notice, the hearing, the collective
-- discussion, recusals, evidence preservation, deferrals, the 催告 and the
-- reversal of wrong payments are all on record.

ALTER TABLE cases
  -- The day the case reached its current state: the floor of every date a
  -- user declares in that state (no backdating).
  ADD COLUMN state_entered_on date,
  -- 立案审批: the officer asks, the team leader approves.
  ADD COLUMN filing_requested_on date,
  ADD COLUMN filing_approved_by bigint REFERENCES users (id),
  -- APL art. 36: 5-year limitation where life, health or financial safety was harmed.
  ADD COLUMN serious_harm boolean NOT NULL DEFAULT false,
  ADD COLUMN continuing_act boolean NOT NULL DEFAULT false,
  -- 拟处罚: the handlers' proposal, recorded before the legal review.
  ADD COLUMN proposed_penalties jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN proposal_tier text NOT NULL DEFAULT '',
  ADD COLUMN proposal_reasoning text NOT NULL DEFAULT '',
  ADD COLUMN mitigation_ground text NOT NULL DEFAULT '', -- APL art. 32: 从轻/减轻 ground
  ADD COLUMN proposed_on date,
  ADD COLUMN proposal_no_penalty boolean NOT NULL DEFAULT false, -- the proposal is 不予处罚
  -- The penalties of the latest notice served, kind by kind (APL art. 45).
  ADD COLUMN notice_penalties jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN notice_count int NOT NULL DEFAULT 0,
  ADD COLUMN renotice_heavier boolean NOT NULL DEFAULT false, -- the latest notice is heavier than an earlier one
  -- The penalties the latest passed review approved.
  ADD COLUMN reviewed_penalties jsonb NOT NULL DEFAULT '[]',
  ADD COLUMN review_count int NOT NULL DEFAULT 0,
  -- Hearing (APL arts. 63-65).
  ADD COLUMN hearing_waived boolean NOT NULL DEFAULT false,
  ADD COLUMN hearing_notice_served_on date,
  ADD COLUMN hearing_on date,
  ADD COLUMN hearing_place text NOT NULL DEFAULT '',
  ADD COLUMN hearing_chair bigint REFERENCES users (id),
  ADD COLUMN hearing_public boolean NOT NULL DEFAULT true,
  ADD COLUMN hearing_private_reason text NOT NULL DEFAULT '',
  ADD COLUMN hearing_outcome text NOT NULL DEFAULT '' CHECK (hearing_outcome IN ('', 'held', 'absent', 'left')),
  ADD COLUMN hearing_attendance text NOT NULL DEFAULT '',
  ADD COLUMN hearing_transcript text NOT NULL DEFAULT '',
  ADD COLUMN hearing_transcript_evidence bigint,
  -- 集体讨论 (APL art. 57 ¶2).
  ADD COLUMN discussion_on date,
  ADD COLUMN discussion_participants text NOT NULL DEFAULT '',
  ADD COLUMN discussion_conclusion text NOT NULL DEFAULT '',
  -- 不予处罚 kinds (APL arts. 33, 57) and the education given.
  ADD COLUMN no_penalty_kind text NOT NULL DEFAULT '',
  ADD COLUMN education text NOT NULL DEFAULT '',
  -- Transfer (移送): proposed by the handlers, decided by the head.
  ADD COLUMN transfer_proposed_on date,
  ADD COLUMN transfer_decided_by bigint REFERENCES users (id),
  -- Summary procedure (APL art. 52 with 44): the party was told and heard on the spot.
  ADD COLUMN spot_told boolean NOT NULL DEFAULT false,
  ADD COLUMN spot_statement text NOT NULL DEFAULT '',
  ADD COLUMN refused_to_sign boolean NOT NULL DEFAULT false,
  -- Service proof (送达回证 / 电子送达确认书).
  ADD COLUMN service_proof text NOT NULL DEFAULT '',
  -- Deferral or instalments of the fine (APL art. 66), approved by the head.
  ADD COLUMN payment_due_override date,
  ADD COLUMN deferral_note text NOT NULL DEFAULT '',
  -- 催告 (AEL art. 35) and the court application (AEL arts. 53-55).
  ADD COLUMN demand_served_on date,
  ADD COLUMN enforcement_court text NOT NULL DEFAULT '',
  ADD COLUMN extended_by bigint REFERENCES users (id);
ALTER TABLE cases DROP COLUMN new_notice_served;

UPDATE cases SET state_entered_on = coalesce(closed_on, decision_served_on, decided_on, notice_served_on, reviewed_on,
  review_submitted_on, filed_on, created_at::date);
UPDATE cases SET state_entered_on = created_at::date WHERE state_entered_on IS NULL;
ALTER TABLE cases ALTER COLUMN state_entered_on SET NOT NULL;

-- The declared date of the event, when it differs from the moment it was entered.
ALTER TABLE case_events ADD COLUMN on_date date;

-- Every legal review (法制审核), with its checklist and opinion.
CREATE TABLE case_reviews (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id      bigint NOT NULL REFERENCES cases (id),
  town_id      bigint NOT NULL REFERENCES towns (id),
  reviewer_id  bigint NOT NULL REFERENCES users (id),
  reviewer_name text  NOT NULL,
  qualification text  NOT NULL DEFAULT '',
  reviewed_on  date   NOT NULL,
  outcome      text   NOT NULL CHECK (outcome IN ('passed', 'returned', 'failed')),
  checklist    jsonb  NOT NULL DEFAULT '[]',
  opinion      text   NOT NULL CHECK (length(opinion) > 0),
  penalties    jsonb  NOT NULL DEFAULT '[]', -- the proposal reviewed
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_reviews_case_idx ON case_reviews (case_id, id);

-- Every notice of intended penalty (事先告知书) served; the latest is on the case.
CREATE TABLE case_notices (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id     bigint NOT NULL REFERENCES cases (id),
  town_id     bigint NOT NULL REFERENCES towns (id),
  served_on   date   NOT NULL,
  penalties   jsonb  NOT NULL,
  fine_fen    bigint NOT NULL DEFAULT 0,
  hearing_right boolean NOT NULL,
  text        text   NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_notices_case_idx ON case_notices (case_id, id);

-- Recusal (回避, APL art. 43): a request and the leader's decision.
CREATE TABLE case_recusals (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES cases (id),
  town_id       bigint NOT NULL REFERENCES towns (id),
  officer_id    bigint NOT NULL REFERENCES users (id),
  requested_on  date   NOT NULL,
  requested_by  text   NOT NULL, -- 当事人 / 执法人员本人
  reason        text   NOT NULL CHECK (length(reason) > 0),
  decided_by    bigint REFERENCES users (id),
  decided_on    date,
  granted       boolean,
  decision_note text   NOT NULL DEFAULT '',
  replacement_id bigint REFERENCES users (id)
);
CREATE INDEX case_recusals_case_idx ON case_recusals (case_id);

-- A recused officer stays on record, marked.
ALTER TABLE case_officers ADD COLUMN recused_on date;

-- 先行登记保存 (APL art. 56) and 查封扣押 (AEL art. 25).
CREATE TABLE case_preservations (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id      bigint NOT NULL REFERENCES cases (id),
  town_id      bigint NOT NULL REFERENCES towns (id),
  kind         text   NOT NULL CHECK (kind IN ('preserve', 'seize')),
  started_on   date   NOT NULL,
  inventory    text   NOT NULL CHECK (length(inventory) > 0),
  approved_by  bigint NOT NULL REFERENCES users (id),
  extended     boolean NOT NULL DEFAULT false,
  ended_on     date,
  disposal     text   NOT NULL DEFAULT '' -- 处理决定 / 解除
);
CREATE INDEX case_preservations_case_idx ON case_preservations (case_id);

-- Payments: bank receipts, or on-the-spot cash (APL art. 68) handed in
-- later; a wrong entry is reversed by a negative entry, never edited.
ALTER TABLE case_payments
  ADD COLUMN kind text NOT NULL DEFAULT 'bank' CHECK (kind IN ('bank', 'on_spot')),
  ADD COLUMN reverses bigint REFERENCES case_payments (id),
  ADD COLUMN reason text NOT NULL DEFAULT '',
  ADD COLUMN handed_in_on date,
  ADD COLUMN at timestamptz NOT NULL DEFAULT now();
ALTER TABLE case_payments DROP CONSTRAINT case_payments_amount_fen_check;
ALTER TABLE case_payments ADD CONSTRAINT case_payments_amount_sign CHECK ((amount_fen > 0) = (reverses IS NULL) AND amount_fen <> 0);
CREATE UNIQUE INDEX case_payments_reversed_once ON case_payments (reverses) WHERE reverses IS NOT NULL;
-- Payments are append-only but for the hand-in date of cash.
CREATE FUNCTION case_payments_hand_in_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'payments are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (to_jsonb(NEW) - 'handed_in_on') IS DISTINCT FROM (to_jsonb(OLD) - 'handed_in_on') OR OLD.handed_in_on IS NOT NULL THEN
    RAISE EXCEPTION 'a payment can only be marked handed in, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER case_payments_hand_in BEFORE UPDATE OR DELETE ON case_payments
  FOR EACH ROW EXECUTE FUNCTION case_payments_hand_in_only();

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['case_reviews', 'case_notices', 'case_recusals', 'case_preservations'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]))', t || '_read', t);
    EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]))', t || '_insert', t);
  END LOOP;
END $$;
-- The county reviewer records its reviews in any town.
CREATE POLICY case_reviews_county_insert ON case_reviews FOR INSERT WITH CHECK (app_scope() = 'county_read');
CREATE POLICY case_recusals_update ON case_recusals FOR UPDATE USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY case_preservations_update ON case_preservations FOR UPDATE USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY case_officers_update ON case_officers FOR UPDATE USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY case_payments_update ON case_payments FOR UPDATE USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE TRIGGER case_reviews_append_only BEFORE UPDATE OR DELETE ON case_reviews FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_notices_append_only BEFORE UPDATE OR DELETE ON case_notices FOR EACH ROW EXECUTE FUNCTION refuse_change();
GRANT SELECT, INSERT ON case_reviews, case_notices TO zhifa_app;
GRANT SELECT, INSERT, UPDATE ON case_recusals, case_preservations TO zhifa_app;
GRANT UPDATE (recused_on, lead) ON case_officers TO zhifa_app;
GRANT UPDATE (handed_in_on) ON case_payments TO zhifa_app;
