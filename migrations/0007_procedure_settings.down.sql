DELETE FROM procedure_settings WHERE key IN ('filing_working_days', 'max_extensions', 'hearing_notice_working_days',
  'limitation_years_serious', 'preservation_working_days', 'seizure_days', 'transfer_decide_working_days',
  'hand_in_working_days', 'onspot_cap_fen', 'demand_working_days', 'reconsideration_days', 'litigation_months',
  'enforcement_apply_months', 'discussion_person_fen', 'discussion_org_fen');
UPDATE procedure_settings SET unit = '日', basis = '行政处罚法第六十四条' WHERE key = 'hearing_request_days';
UPDATE procedure_settings SET unit = '日', basis = '行政处罚法第六十一条' WHERE key = 'service_days';
UPDATE procedure_settings SET label = '追责时效（违法行为发生之日起）' WHERE key = 'limitation_years';
