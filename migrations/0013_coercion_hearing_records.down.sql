ALTER TABLE cases DROP CONSTRAINT cases_chair_recusal_decided_after_request,
  DROP COLUMN discussion_members, DROP COLUMN hearing_agents, DROP COLUMN chair_recusal_requested_on,
  DROP COLUMN chair_recusal_chair, DROP COLUMN chair_recusal_reason, DROP COLUMN chair_recusal_decided_on,
  DROP COLUMN chair_recusal_granted, DROP COLUMN chair_recusal_note, DROP COLUMN recused_chairs;
DELETE FROM case_preservations WHERE kind = 'sample';
ALTER TABLE case_preservations DROP CONSTRAINT case_preservations_absent_party_witnessed,
  DROP CONSTRAINT case_preservations_sample_recorded,
  DROP COLUMN quantity, DROP COLUMN kept_at, DROP COLUMN party_notified, DROP COLUMN party_present, DROP COLUMN witness,
  DROP COLUMN party_told, DROP COLUMN party_statement, DROP COLUMN record_evidence_id,
  DROP CONSTRAINT case_preservations_kind_check;
ALTER TABLE case_preservations ADD CONSTRAINT case_preservations_kind_check CHECK (kind IN ('preserve', 'seize'));
