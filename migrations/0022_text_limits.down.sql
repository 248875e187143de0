DROP TABLE IF EXISTS idempotency_keys;

ALTER TABLE cases
  DROP CONSTRAINT IF EXISTS cases_party_id_number_max200,
  DROP CONSTRAINT IF EXISTS cases_party_phone_max200,
  DROP CONSTRAINT IF EXISTS cases_party_address_max200,
  DROP CONSTRAINT IF EXISTS cases_party_legal_rep_max200,
  DROP CONSTRAINT IF EXISTS cases_place_village_max200,
  DROP CONSTRAINT IF EXISTS cases_place_address_max200,
  DROP CONSTRAINT IF EXISTS cases_service_method_max200,
  DROP CONSTRAINT IF EXISTS cases_transfer_body_max200,
  DROP CONSTRAINT IF EXISTS cases_proposal_tier_max200,
  DROP CONSTRAINT IF EXISTS cases_no_penalty_kind_max200,
  DROP CONSTRAINT IF EXISTS cases_enforcement_court_max200,
  DROP CONSTRAINT IF EXISTS cases_hearing_place_max200,
  DROP CONSTRAINT IF EXISTS cases_chair_recusal_note_max4000,
  DROP CONSTRAINT IF EXISTS cases_chair_recusal_reason_max4000,
  DROP CONSTRAINT IF EXISTS cases_deferral_note_max4000,
  DROP CONSTRAINT IF EXISTS cases_demolition_notice_max4000,
  DROP CONSTRAINT IF EXISTS cases_demolition_record_max4000,
  DROP CONSTRAINT IF EXISTS cases_education_max4000,
  DROP CONSTRAINT IF EXISTS cases_enforcement_ruling_max4000,
  DROP CONSTRAINT IF EXISTS cases_hearing_agents_max4000,
  DROP CONSTRAINT IF EXISTS cases_hearing_attendance_max4000,
  DROP CONSTRAINT IF EXISTS cases_hearing_private_reason_max4000,
  DROP CONSTRAINT IF EXISTS cases_mitigation_ground_max4000,
  DROP CONSTRAINT IF EXISTS cases_outcome_reason_max4000,
  DROP CONSTRAINT IF EXISTS cases_proposal_reasoning_max4000,
  DROP CONSTRAINT IF EXISTS cases_review_opinion_max4000,
  DROP CONSTRAINT IF EXISTS cases_service_proof_max4000,
  DROP CONSTRAINT IF EXISTS cases_spot_statement_max4000,
  DROP CONSTRAINT IF EXISTS cases_transfer_receipt_max4000,
  DROP CONSTRAINT IF EXISTS cases_facts_max20000,
  DROP CONSTRAINT IF EXISTS cases_hearing_transcript_max20000,
  DROP CONSTRAINT IF EXISTS cases_discussion_participants_max20000,
  DROP CONSTRAINT IF EXISTS cases_discussion_conclusion_max20000,
  DROP CONSTRAINT IF EXISTS cases_notice_text_max20000,
  DROP CONSTRAINT IF EXISTS cases_decision_basis_max20000;

ALTER TABLE case_events
  DROP CONSTRAINT IF EXISTS case_events_actor_name_max200,
  DROP CONSTRAINT IF EXISTS case_events_summary_max20000,
  DROP CONSTRAINT IF EXISTS case_events_reason_max20000;

ALTER TABLE case_notices
  DROP CONSTRAINT IF EXISTS case_notices_text_max20000;

ALTER TABLE case_payments
  DROP CONSTRAINT IF EXISTS case_payments_onspot_reason_max4000,
  DROP CONSTRAINT IF EXISTS case_payments_reason_max4000;

ALTER TABLE case_preservations
  DROP CONSTRAINT IF EXISTS case_preservations_quantity_max200,
  DROP CONSTRAINT IF EXISTS case_preservations_kept_at_max200,
  DROP CONSTRAINT IF EXISTS case_preservations_witness_max200,
  DROP CONSTRAINT IF EXISTS case_preservations_inventory_max4000,
  DROP CONSTRAINT IF EXISTS case_preservations_disposal_max4000,
  DROP CONSTRAINT IF EXISTS case_preservations_party_statement_max4000;

ALTER TABLE case_recusals
  DROP CONSTRAINT IF EXISTS case_recusals_requested_by_max200,
  DROP CONSTRAINT IF EXISTS case_recusals_reason_max4000,
  DROP CONSTRAINT IF EXISTS case_recusals_decision_note_max4000;

ALTER TABLE case_remedies
  DROP CONSTRAINT IF EXISTS case_remedies_note_max4000;

ALTER TABLE case_reviews
  DROP CONSTRAINT IF EXISTS case_reviews_reviewer_name_max200,
  DROP CONSTRAINT IF EXISTS case_reviews_qualification_max200,
  DROP CONSTRAINT IF EXISTS case_reviews_opinion_max4000;

ALTER TABLE case_statements
  DROP CONSTRAINT IF EXISTS case_statements_content_max20000,
  DROP CONSTRAINT IF EXISTS case_statements_recheck_max4000;

ALTER TABLE case_suspensions
  DROP CONSTRAINT IF EXISTS case_suspensions_reason_max4000;

ALTER TABLE corrections
  DROP CONSTRAINT IF EXISTS corrections_detail_max20000;

ALTER TABLE correction_events
  DROP CONSTRAINT IF EXISTS correction_events_actor_name_max200;

ALTER TABLE document_services
  DROP CONSTRAINT IF EXISTS document_services_method_max200,
  DROP CONSTRAINT IF EXISTS document_services_recipient_max200,
  DROP CONSTRAINT IF EXISTS document_services_relation_max200,
  DROP CONSTRAINT IF EXISTS document_services_address_max200,
  DROP CONSTRAINT IF EXISTS document_services_servers_max200,
  DROP CONSTRAINT IF EXISTS document_services_witness_max200,
  DROP CONSTRAINT IF EXISTS document_services_note_max4000;

ALTER TABLE documents
  DROP CONSTRAINT IF EXISTS documents_title_max200,
  DROP CONSTRAINT IF EXISTS documents_issued_by_name_max200,
  DROP CONSTRAINT IF EXISTS documents_supersede_reason_max4000;

ALTER TABLE evidence
  DROP CONSTRAINT IF EXISTS evidence_filename_max1000,
  DROP CONSTRAINT IF EXISTS evidence_content_type_max200,
  DROP CONSTRAINT IF EXISTS evidence_superseded_reason_max4000;

ALTER TABLE list_versions
  DROP CONSTRAINT IF EXISTS list_versions_note_max4000;

ALTER TABLE list_version_items
  DROP CONSTRAINT IF EXISTS list_version_items_code_max200,
  DROP CONSTRAINT IF EXISTS list_version_items_name_max200,
  DROP CONSTRAINT IF EXISTS list_version_items_kind_max200,
  DROP CONSTRAINT IF EXISTS list_version_items_domain_max200,
  DROP CONSTRAINT IF EXISTS list_version_items_former_department_max1000,
  DROP CONSTRAINT IF EXISTS list_version_items_penalty_types_max1000,
  DROP CONSTRAINT IF EXISTS list_version_items_penalty_range_max1000,
  DROP CONSTRAINT IF EXISTS list_version_items_other_penalty_max1000,
  DROP CONSTRAINT IF EXISTS list_version_items_violation_basis_max20000,
  DROP CONSTRAINT IF EXISTS list_version_items_penalty_basis_max20000;

ALTER TABLE major_filings
  DROP CONSTRAINT IF EXISTS major_filings_filed_by_name_max200,
  DROP CONSTRAINT IF EXISTS major_filings_reviewer_name_max200;

ALTER TABLE users
  DROP CONSTRAINT IF EXISTS users_phone_max200;
