DROP TRIGGER case_remedies_stats_delete ON case_remedies;
DROP TRIGGER case_remedies_stats_update ON case_remedies;
DROP TRIGGER case_remedies_stats_insert ON case_remedies;
DROP FUNCTION case_remedy_stats_rebuild();
DROP FUNCTION case_remedy_stats_computed();
DROP FUNCTION case_remedy_stats_track();
DROP FUNCTION case_remedy_stats_add(case_remedy_stats[], case_remedy_stats[]);
DROP FUNCTION case_remedy_stats_rows(case_remedies);
DROP TABLE case_remedy_stats;
