DROP FUNCTION search_case_totals(text, bigint, int, date, date);
DROP FUNCTION search_case_ids(text, bigint, bigint, int, boolean);
DROP FUNCTION search_case_estimate(text, text, text[]);
DROP FUNCTION search_case_patterns(text);
DROP INDEX cases_search_keys_idx;
DROP INDEX cases_search_trgm_idx;
DROP FUNCTION case_search_keys(bigint, text);

CREATE INDEX cases_search_idx ON cases USING gin ((coalesce(number, '') || ' ' || party_name || ' ' || place_village || ' ' || place_address) gin_trgm_ops);
CREATE FUNCTION search_case_ids(q text, max_rows int) RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT id FROM cases
  WHERE town_id = ANY (app_read_towns())
    AND (coalesce(number, '') || ' ' || party_name || ' ' || place_village || ' ' || place_address) ILIKE '%' || q || '%'
  ORDER BY id DESC
  LIMIT max_rows
$$;
REVOKE ALL ON FUNCTION search_case_ids(text, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_case_ids(text, int) TO zhifa_app;
