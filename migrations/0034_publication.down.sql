DROP FUNCTION IF EXISTS public_year_figures(int);
DROP TABLE IF EXISTS public_decisions;
DROP TABLE IF EXISTS publications;
DROP FUNCTION IF EXISTS public_decisions_guard();
DROP FUNCTION IF EXISTS publications_withdraw_public();
DROP FUNCTION IF EXISTS publications_guard();
DELETE FROM procedure_settings WHERE key = 'publication_working_days';
