-- Search by party or place at a million cases (issue 12).
--
-- Before, search_case_ids(q, max_rows) returned the max_rows (2000) newest
-- cases whose number, party or place contained q, and the list read its
-- page among them: a search matching more showed only the newest 2000. Its
-- one generic plan read every match through the trigram index, testing
-- app_read_towns() again on each row, and pg_trgm finds nothing to look up
-- for one or two characters (张三, 干沙), so those read every row.
--
-- Now:
-- * The text searched is the party's name and the place (village, then
--   address, as the list shows it). A case number is found by the number
--   itself, whole or from its year on (internal/cases numberQuery), not as
--   text: "毛坝" finds places, not every case of 毛坝镇.
-- * Two GIN indexes on that text, each led by the town so that a town's
--   search reads only its own entries (btree_gin): trigrams for three
--   characters or more, and each character and each pair of adjacent
--   characters (case_search_grams) for one or two, which trigrams cannot
--   index.
-- * search_case_ids runs the search planned for the very words searched
--   (dynamic SQL), so the planner sees how common they are: a common word
--   reads the newest cases in order until it has what it needs, a rare one
--   its index. It returns the newest matches from a keyset cursor on, a page
--   at a time, or every match, or a bounded sample for counting; never a
--   silent cut (the caller says how many it asked for).
CREATE EXTENSION IF NOT EXISTS btree_gin;

DROP FUNCTION search_case_ids(text, int);
DROP INDEX cases_search_idx;

-- The characters and pairs of adjacent characters of t, lower case, without
-- spaces (the separator of the searched fields): a search of one or two
-- characters (no space: it is trimmed) is in t exactly when it is one of
-- them.
CREATE FUNCTION case_search_grams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
DECLARE
  c text[] := regexp_split_to_array(lower(t), '');
  n int := cardinality(c);
  r text[] := '{}';
  k int := 0;
BEGIN
  FOR i IN 1 .. n LOOP
    CONTINUE WHEN c[i] = ' ' OR c[i] = '';
    k := k + 1;
    r[k] := c[i];
    IF i < n AND c[i + 1] <> ' ' THEN
      k := k + 1;
      r[k] := c[i] || c[i + 1];
    END IF;
  END LOOP;
  RETURN r;
END $$;

CREATE INDEX cases_search_trgm_idx ON cases USING gin
  (town_id, (party_name || ' ' || place_village || ' ' || place_address) gin_trgm_ops);
CREATE INDEX cases_search_grams_idx ON cases USING gin
  (town_id, case_search_grams(party_name || ' ' || place_village || ' ' || place_address));

-- search_case_ids returns the ids of the cases the caller may read whose
-- party or place contains q (case-insensitive, literally: % and _ are
-- characters like any other), in town (NULL: every town the caller reads):
-- * newest: the newest first, below before (a keyset cursor) if given, at
--   most max_rows: one page of the list;
-- * otherwise at most max_rows of them in any order (the cheapest to find),
--   or every one when max_rows is NULL.
--
-- Row-level security evaluates its own test before any condition that is
-- not leakproof, such as ILIKE or @>, so a query under the app role cannot
-- use these indexes. This function runs as the schema owner (which bypasses
-- row-level security where the deployment grants it BYPASSRLS, as the local
-- cluster does) and applies the same tenancy test itself, from the caller's
-- own settings (app_read_towns): it returns only cases the caller may read.
-- No parallel workers: starting them costs more than these queries.
CREATE FUNCTION search_case_ids(q text, town bigint, before bigint, max_rows int, newest boolean)
RETURNS bigint[] LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public SET max_parallel_workers_per_gather = 0 AS $$
DECLARE
  towns bigint[] := app_read_towns();
  doc constant text := '(party_name || '' '' || place_village || '' '' || place_address)';
  sql text := 'SELECT coalesce(array_agg(id), ''{}'') FROM (SELECT id FROM cases WHERE ';
  ids bigint[];
BEGIN
  q := btrim(q);
  IF q IS NULL OR q = '' OR cardinality(towns) = 0 OR max_rows <= 0 THEN
    RETURN '{}';
  END IF;
  IF town IS NULL AND cardinality(towns) = 1 THEN
    town := towns[1];
  END IF;
  IF town IS NOT NULL THEN
    IF NOT town = ANY (towns) THEN
      RETURN '{}';
    END IF;
    sql := sql || 'town_id = $1 AND ';
  ELSIF cardinality(towns) < (SELECT count(*) FROM towns) THEN
    sql := sql || 'town_id = ANY ($2) AND ';
  END IF; -- else every town: no condition
  IF length(lower(q)) <= 2 THEN
    -- Exact by the pairs' index. The same test by ILIKE, cheaper on each
    -- row when the planner reads the newest cases in order, is wrapped in
    -- CASE so that the planner does not count the condition twice.
    sql := sql || 'case_search_grams(' || doc || ') @> ARRAY[lower($4)] AND CASE WHEN ' || doc || ' ILIKE $3 THEN true END';
  ELSE
    sql := sql || doc || ' ILIKE $3';
  END IF;
  IF before IS NOT NULL THEN
    sql := sql || ' AND id < $5';
  END IF;
  IF newest THEN
    sql := sql || ' ORDER BY id DESC';
  END IF;
  IF max_rows IS NOT NULL THEN
    sql := sql || ' LIMIT $6';
  END IF;
  EXECUTE sql || ') s' INTO ids
    USING town, towns, '%' || replace(replace(replace(q, '\', '\\'), '%', '\%'), '_', '\_') || '%', q, before, max_rows;
  RETURN ids;
END $$;
REVOKE ALL ON FUNCTION search_case_ids(text, bigint, bigint, int, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_case_ids(text, bigint, bigint, int, boolean) TO zhifa_app;
