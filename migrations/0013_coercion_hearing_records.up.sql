-- On-the-spot records of evidence measures, collective discussion by the
-- agency's heads, and the party's hearing rights.
--
-- 抽样取证 (行政处罚法第五十六条): a kind of case_preservations with no clock
-- and no approval: what was sampled (inventory), how many, where it is kept,
-- whether the party was present (a witness otherwise). approved_by holds the
-- officer who recorded it; it ends the day it is taken.
--
-- 查封扣押 on the spot (行政强制法第十八条): the party notified to be present,
-- present or not (a witness then), told the reasons, basis, rights and
-- remedies and heard, and the 现场笔录 kept as evidence.
ALTER TABLE case_preservations DROP CONSTRAINT case_preservations_kind_check;
ALTER TABLE case_preservations
  ADD CONSTRAINT case_preservations_kind_check CHECK (kind IN ('preserve', 'seize', 'sample')),
  ADD COLUMN quantity           text    NOT NULL DEFAULT '',
  ADD COLUMN kept_at            text    NOT NULL DEFAULT '',
  ADD COLUMN party_notified     boolean NOT NULL DEFAULT false,
  ADD COLUMN party_present      boolean,
  ADD COLUMN witness            text    NOT NULL DEFAULT '',
  ADD COLUMN party_told         boolean NOT NULL DEFAULT false,
  ADD COLUMN party_statement    text    NOT NULL DEFAULT '',
  ADD COLUMN record_evidence_id bigint REFERENCES evidence (id),
  ADD CONSTRAINT case_preservations_sample_recorded
    CHECK (kind <> 'sample' OR ended_on = started_on AND length(quantity) > 0 AND length(kept_at) > 0 AND party_present IS NOT NULL),
  ADD CONSTRAINT case_preservations_absent_party_witnessed
    CHECK (party_present IS DISTINCT FROM false OR length(witness) > 0 OR kind = 'sample');

-- 集体讨论 (行政处罚法第五十七条第二款): the accounts of the town's heads and
-- team leader who sat (discussion_participants keeps the full list, others
-- without an account included).
-- 听证 (第六十四条): the party's agents (one or two), and the party's request
-- that the chair step aside (第四项) with the head's decision; a chair so
-- recused may not chair the case's hearing again.
ALTER TABLE cases
  ADD COLUMN discussion_members bigint[] NOT NULL DEFAULT '{}',
  ADD COLUMN hearing_agents text NOT NULL DEFAULT '',
  ADD COLUMN chair_recusal_requested_on date,
  ADD COLUMN chair_recusal_chair bigint REFERENCES users (id),
  ADD COLUMN chair_recusal_reason text NOT NULL DEFAULT '',
  ADD COLUMN chair_recusal_decided_on date,
  ADD COLUMN chair_recusal_granted boolean,
  ADD COLUMN chair_recusal_note text NOT NULL DEFAULT '',
  ADD COLUMN recused_chairs bigint[] NOT NULL DEFAULT '{}',
  ADD CONSTRAINT cases_chair_recusal_decided_after_request
    CHECK (chair_recusal_decided_on IS NULL OR chair_recusal_decided_on >= chair_recusal_requested_on);
