DELETE FROM procedure_settings WHERE key = 'major_filing_working_days';
DROP TABLE IF EXISTS major_filings;
DROP FUNCTION IF EXISTS major_filings_guard();
DROP TABLE IF EXISTS major_thresholds;
