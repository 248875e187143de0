DROP TABLE IF EXISTS case_preservations, case_recusals, case_notices, case_reviews;
DROP TRIGGER IF EXISTS case_payments_hand_in ON case_payments;
DROP FUNCTION IF EXISTS case_payments_hand_in_only();
DROP POLICY IF EXISTS case_officers_update ON case_officers;
DROP POLICY IF EXISTS case_payments_update ON case_payments;
REVOKE UPDATE ON case_officers, case_payments FROM zhifa_app;
DROP INDEX IF EXISTS case_payments_reversed_once;
DELETE FROM case_payments WHERE reverses IS NOT NULL;
ALTER TABLE case_payments DROP CONSTRAINT case_payments_amount_sign;
ALTER TABLE case_payments ADD CONSTRAINT case_payments_amount_fen_check CHECK (amount_fen > 0);
ALTER TABLE case_payments DROP COLUMN kind, DROP COLUMN reverses, DROP COLUMN reason, DROP COLUMN handed_in_on, DROP COLUMN at;
ALTER TABLE case_officers DROP COLUMN recused_on;
ALTER TABLE case_events DROP COLUMN on_date;
ALTER TABLE cases ADD COLUMN new_notice_served boolean NOT NULL DEFAULT false;
ALTER TABLE cases
  DROP COLUMN state_entered_on, DROP COLUMN filing_requested_on, DROP COLUMN filing_approved_by,
  DROP COLUMN serious_harm, DROP COLUMN continuing_act, DROP COLUMN proposed_penalties, DROP COLUMN proposal_tier,
  DROP COLUMN proposal_reasoning, DROP COLUMN mitigation_ground, DROP COLUMN proposed_on, DROP COLUMN proposal_no_penalty,
  DROP COLUMN notice_penalties, DROP COLUMN notice_count, DROP COLUMN renotice_heavier, DROP COLUMN reviewed_penalties,
  DROP COLUMN review_count, DROP COLUMN hearing_waived, DROP COLUMN hearing_notice_served_on, DROP COLUMN hearing_on,
  DROP COLUMN hearing_place, DROP COLUMN hearing_chair, DROP COLUMN hearing_public, DROP COLUMN hearing_private_reason,
  DROP COLUMN hearing_outcome, DROP COLUMN hearing_attendance, DROP COLUMN hearing_transcript,
  DROP COLUMN hearing_transcript_evidence, DROP COLUMN discussion_on, DROP COLUMN discussion_participants,
  DROP COLUMN discussion_conclusion, DROP COLUMN no_penalty_kind, DROP COLUMN education, DROP COLUMN transfer_proposed_on,
  DROP COLUMN transfer_decided_by, DROP COLUMN spot_told, DROP COLUMN spot_statement, DROP COLUMN refused_to_sign,
  DROP COLUMN service_proof, DROP COLUMN payment_due_override, DROP COLUMN deferral_note, DROP COLUMN demand_served_on,
  DROP COLUMN enforcement_court, DROP COLUMN extended_by;
