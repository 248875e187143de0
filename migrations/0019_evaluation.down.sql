DROP TABLE IF EXISTS eval_scores, eval_dossiers, eval_rounds, eval_sheets;
DROP FUNCTION IF EXISTS eval_dossier_frozen(), eval_score_frozen();
