ALTER TABLE cases
  ADD CONSTRAINT cases_party_id_number_max200 CHECK (length(party_id_number) <= 200),
  ADD CONSTRAINT cases_party_phone_max200 CHECK (length(party_phone) <= 200),
  ADD CONSTRAINT cases_party_address_max200 CHECK (length(party_address) <= 200),
  ADD CONSTRAINT cases_party_legal_rep_max200 CHECK (length(party_legal_rep) <= 200),
  ADD CONSTRAINT cases_place_village_max200 CHECK (length(place_village) <= 200),
  ADD CONSTRAINT cases_place_address_max200 CHECK (length(place_address) <= 200),
  ADD CONSTRAINT cases_service_method_max200 CHECK (length(service_method) <= 200),
  ADD CONSTRAINT cases_transfer_body_max200 CHECK (length(transfer_body) <= 200),
  ADD CONSTRAINT cases_proposal_tier_max200 CHECK (length(proposal_tier) <= 200),
  ADD CONSTRAINT cases_no_penalty_kind_max200 CHECK (length(no_penalty_kind) <= 200),
  ADD CONSTRAINT cases_enforcement_court_max200 CHECK (length(enforcement_court) <= 200),
  ADD CONSTRAINT cases_hearing_place_max200 CHECK (length(hearing_place) <= 200),
  ADD CONSTRAINT cases_chair_recusal_note_max4000 CHECK (length(chair_recusal_note) <= 4000),
  ADD CONSTRAINT cases_chair_recusal_reason_max4000 CHECK (length(chair_recusal_reason) <= 4000),
  ADD CONSTRAINT cases_deferral_note_max4000 CHECK (length(deferral_note) <= 4000),
  ADD CONSTRAINT cases_demolition_notice_max4000 CHECK (length(demolition_notice) <= 4000),
  ADD CONSTRAINT cases_demolition_record_max4000 CHECK (length(demolition_record) <= 4000),
  ADD CONSTRAINT cases_education_max4000 CHECK (length(education) <= 4000),
  ADD CONSTRAINT cases_enforcement_ruling_max4000 CHECK (length(enforcement_ruling) <= 4000),
  ADD CONSTRAINT cases_hearing_agents_max4000 CHECK (length(hearing_agents) <= 4000),
  ADD CONSTRAINT cases_hearing_attendance_max4000 CHECK (length(hearing_attendance) <= 4000),
  ADD CONSTRAINT cases_hearing_private_reason_max4000 CHECK (length(hearing_private_reason) <= 4000),
  ADD CONSTRAINT cases_mitigation_ground_max4000 CHECK (length(mitigation_ground) <= 4000),
  ADD CONSTRAINT cases_outcome_reason_max4000 CHECK (length(outcome_reason) <= 4000),
  ADD CONSTRAINT cases_proposal_reasoning_max4000 CHECK (length(proposal_reasoning) <= 4000),
  ADD CONSTRAINT cases_review_opinion_max4000 CHECK (length(review_opinion) <= 4000),
  ADD CONSTRAINT cases_service_proof_max4000 CHECK (length(service_proof) <= 4000),
  ADD CONSTRAINT cases_spot_statement_max4000 CHECK (length(spot_statement) <= 4000),
  ADD CONSTRAINT cases_transfer_receipt_max4000 CHECK (length(transfer_receipt) <= 4000),
  ADD CONSTRAINT cases_facts_max20000 CHECK (length(facts) <= 20000),
  ADD CONSTRAINT cases_hearing_transcript_max20000 CHECK (length(hearing_transcript) <= 20000),
  ADD CONSTRAINT cases_discussion_participants_max20000 CHECK (length(discussion_participants) <= 20000),
  ADD CONSTRAINT cases_discussion_conclusion_max20000 CHECK (length(discussion_conclusion) <= 20000),
  ADD CONSTRAINT cases_notice_text_max20000 CHECK (length(notice_text) <= 20000),
  ADD CONSTRAINT cases_decision_basis_max20000 CHECK (length(decision_basis) <= 20000);

ALTER TABLE case_events
  ADD CONSTRAINT case_events_actor_name_max200 CHECK (length(actor_name) <= 200),
  ADD CONSTRAINT case_events_summary_max20000 CHECK (length(summary) <= 20000),
  ADD CONSTRAINT case_events_reason_max20000 CHECK (length(reason) <= 20000);

ALTER TABLE case_notices
  ADD CONSTRAINT case_notices_text_max20000 CHECK (length(text) <= 20000);

ALTER TABLE case_payments
  ADD CONSTRAINT case_payments_onspot_reason_max4000 CHECK (length(onspot_reason) <= 4000),
  ADD CONSTRAINT case_payments_reason_max4000 CHECK (length(reason) <= 4000);

ALTER TABLE case_preservations
  ADD CONSTRAINT case_preservations_quantity_max200 CHECK (length(quantity) <= 200),
  ADD CONSTRAINT case_preservations_kept_at_max200 CHECK (length(kept_at) <= 200),
  ADD CONSTRAINT case_preservations_witness_max200 CHECK (length(witness) <= 200),
  ADD CONSTRAINT case_preservations_inventory_max4000 CHECK (length(inventory) <= 4000),
  ADD CONSTRAINT case_preservations_disposal_max4000 CHECK (length(disposal) <= 4000),
  ADD CONSTRAINT case_preservations_party_statement_max4000 CHECK (length(party_statement) <= 4000);

ALTER TABLE case_recusals
  ADD CONSTRAINT case_recusals_requested_by_max200 CHECK (length(requested_by) <= 200),
  ADD CONSTRAINT case_recusals_reason_max4000 CHECK (length(reason) <= 4000),
  ADD CONSTRAINT case_recusals_decision_note_max4000 CHECK (length(decision_note) <= 4000);

ALTER TABLE case_remedies
  ADD CONSTRAINT case_remedies_note_max4000 CHECK (length(note) <= 4000);

ALTER TABLE case_reviews
  ADD CONSTRAINT case_reviews_reviewer_name_max200 CHECK (length(reviewer_name) <= 200),
  ADD CONSTRAINT case_reviews_qualification_max200 CHECK (length(qualification) <= 200),
  ADD CONSTRAINT case_reviews_opinion_max4000 CHECK (length(opinion) <= 4000);

ALTER TABLE case_statements
  ADD CONSTRAINT case_statements_content_max20000 CHECK (length(content) <= 20000),
  ADD CONSTRAINT case_statements_recheck_max4000 CHECK (length(recheck) <= 4000);

ALTER TABLE case_suspensions
  ADD CONSTRAINT case_suspensions_reason_max4000 CHECK (length(reason) <= 4000);

ALTER TABLE corrections
  ADD CONSTRAINT corrections_detail_max20000 CHECK (length(detail) <= 20000);

ALTER TABLE correction_events
  ADD CONSTRAINT correction_events_actor_name_max200 CHECK (length(actor_name) <= 200);

ALTER TABLE document_services
  ADD CONSTRAINT document_services_method_max200 CHECK (length(method) <= 200),
  ADD CONSTRAINT document_services_recipient_max200 CHECK (length(recipient) <= 200),
  ADD CONSTRAINT document_services_relation_max200 CHECK (length(relation) <= 200),
  ADD CONSTRAINT document_services_address_max200 CHECK (length(address) <= 200),
  ADD CONSTRAINT document_services_servers_max200 CHECK (length(servers) <= 200),
  ADD CONSTRAINT document_services_witness_max200 CHECK (length(witness) <= 200),
  ADD CONSTRAINT document_services_note_max4000 CHECK (length(note) <= 4000);

ALTER TABLE documents
  ADD CONSTRAINT documents_title_max200 CHECK (length(title) <= 200),
  ADD CONSTRAINT documents_issued_by_name_max200 CHECK (length(issued_by_name) <= 200),
  ADD CONSTRAINT documents_supersede_reason_max4000 CHECK (length(supersede_reason) <= 4000);

ALTER TABLE evidence
  ADD CONSTRAINT evidence_filename_max1000 CHECK (length(filename) <= 1000),
  ADD CONSTRAINT evidence_content_type_max200 CHECK (length(content_type) <= 200),
  ADD CONSTRAINT evidence_superseded_reason_max4000 CHECK (length(superseded_reason) <= 4000);

ALTER TABLE list_versions
  ADD CONSTRAINT list_versions_note_max4000 CHECK (length(note) <= 4000);

ALTER TABLE list_version_items
  ADD CONSTRAINT list_version_items_code_max200 CHECK (length(code) <= 200),
  ADD CONSTRAINT list_version_items_name_max200 CHECK (length(name) <= 200),
  ADD CONSTRAINT list_version_items_kind_max200 CHECK (length(kind) <= 200),
  ADD CONSTRAINT list_version_items_domain_max200 CHECK (length(domain) <= 200),
  ADD CONSTRAINT list_version_items_former_department_max1000 CHECK (length(former_department) <= 1000),
  ADD CONSTRAINT list_version_items_penalty_types_max1000 CHECK (length(penalty_types) <= 1000),
  ADD CONSTRAINT list_version_items_penalty_range_max1000 CHECK (length(penalty_range) <= 1000),
  ADD CONSTRAINT list_version_items_other_penalty_max1000 CHECK (length(other_penalty) <= 1000),
  ADD CONSTRAINT list_version_items_violation_basis_max20000 CHECK (length(violation_basis) <= 20000),
  ADD CONSTRAINT list_version_items_penalty_basis_max20000 CHECK (length(penalty_basis) <= 20000);

ALTER TABLE major_filings
  ADD CONSTRAINT major_filings_filed_by_name_max200 CHECK (length(filed_by_name) <= 200),
  ADD CONSTRAINT major_filings_reviewer_name_max200 CHECK (length(reviewer_name) <= 200);

ALTER TABLE users
  ADD CONSTRAINT users_phone_max200 CHECK (length(phone) <= 200);

-- Idempotency keys of the case filing form (登记案件): the form carries a
-- random key; the filing stores it with the case it opened, in the same
-- transaction, so that the same POST sent again (a retry after a lost
-- reply, a double click) finds the case already filed and is sent to it
-- instead of filing a second time. A key is the user's own: other users,
-- even of the same town, neither read nor reuse it.
CREATE TABLE idempotency_keys (
  user_id    bigint NOT NULL REFERENCES users (id),
  key        text   NOT NULL CHECK (key ~ '^[A-Za-z0-9_-]{16,64}$'),
  town_id    bigint NOT NULL REFERENCES towns (id),
  case_id    bigint NOT NULL REFERENCES cases (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_case_idx ON idempotency_keys (case_id);
ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY idempotency_keys_read ON idempotency_keys FOR SELECT
  USING (user_id = app_user_id() AND town_id = ANY ((SELECT app_read_towns())::bigint[]));
-- Only for a case of the user's own town (which RLS on cases lets it see).
CREATE POLICY idempotency_keys_insert ON idempotency_keys FOR INSERT
  WITH CHECK (user_id = app_user_id() AND town_id = ANY ((SELECT app_write_towns())::bigint[])
              AND EXISTS (SELECT FROM cases c WHERE c.id = case_id AND c.town_id = idempotency_keys.town_id));
GRANT SELECT, INSERT ON idempotency_keys TO zhifa_app;
