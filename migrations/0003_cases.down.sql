DROP FUNCTION IF EXISTS search_case_ids(text, int);
DROP TABLE IF EXISTS evidence_files, evidence, case_events, case_remedies, case_payments, case_statements,
  case_suspensions, case_officers, cases, case_counters;
DROP FUNCTION IF EXISTS evidence_only_supersede();
DROP TABLE IF EXISTS holidays, procedure_settings;
