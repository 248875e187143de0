DROP TRIGGER cases_due_counts_insert ON cases;
DROP TRIGGER cases_due_counts_update ON cases;
DROP TRIGGER cases_due_counts_delete ON cases;
DROP FUNCTION case_due_counts_track();
DROP FUNCTION case_due_counts_rebuild();
DROP FUNCTION case_due_counts_add(bigint[], date[], bigint[]);
DROP TABLE case_due_counts;
