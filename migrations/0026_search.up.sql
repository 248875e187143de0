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
-- * Two GIN indexes on that text: trigrams for three characters or more,
--   and each character and each pair of adjacent characters
--   (case_search_grams) for one or two, which trigrams cannot index. (A
--   town_id column in them, by btree_gin, is never chosen by the planner:
--   its cost model prices the town's long list of entries above reading the
--   town from a btree index.)
-- * search_case_ids runs the search planned for the very words searched
--   (dynamic SQL), so the planner sees how common they are: a common word
--   reads the newest cases in order until it has what it needs, a rare one
--   its index. It returns the newest matches from a keyset cursor on, a page
--   at a time, or every match, or a bounded sample for counting; never a
--   silent cut (the caller says how many it asked for).
DROP FUNCTION search_case_ids(text, int);
DROP INDEX cases_search_idx;

-- The characters and pairs of adjacent characters of t, lower case, without
-- spaces (the separator of the searched fields): a search of one or two
-- characters (no space: it is trimmed) is in t exactly when it is one of
-- them.
CREATE FUNCTION case_search_grams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
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
  ((party_name || ' ' || place_village || ' ' || place_address) gin_trgm_ops);
CREATE INDEX cases_search_grams_idx ON cases USING gin
  (case_search_grams(party_name || ' ' || place_village || ' ' || place_address));

-- The statistics behind the planner's choice: with the default target a
-- word found in one case in a hundred or fewer looks rarer than it is, and
-- the planner reads every match through the index when reading the newest
-- cases in order would find a page sooner (干沙村 第8组: 6,666 of a million
-- estimated 100).
ALTER INDEX cases_search_trgm_idx ALTER COLUMN 1 SET STATISTICS 1000;
ALTER INDEX cases_search_grams_idx ALTER COLUMN 1 SET STATISTICS 1000;

-- search_case_condition is the WHERE condition on cases of a search for q
-- in town (NULL: every town the caller reads), as the caller may read
-- (app_read_towns), with $1 the ILIKE pattern of q, $2 q and $3 the
-- pattern of its words (search_case_patterns); NULL when nothing can
-- match. For search_case_ids and search_case_totals.
--
-- Row-level security evaluates its own test before any condition that is
-- not leakproof, such as ILIKE or @>, so a query under the app role cannot
-- use the search indexes. Those two functions run as the schema owner
-- (which bypasses row-level security where the deployment grants it
-- BYPASSRLS, as the local cluster does) and apply the same tenancy test
-- here, from the caller's own settings: they return only cases the caller
-- may read.
CREATE FUNCTION search_case_condition(q text, town bigint) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = public AS $$
DECLARE
  towns bigint[] := app_read_towns();
  doc constant text := '(party_name || '' '' || place_village || '' '' || place_address)';
  cond text := '';
  share real;
BEGIN
  IF q IS NULL OR q = '' OR cardinality(towns) = 0 THEN
    RETURN NULL;
  END IF;
  IF town IS NULL AND cardinality(towns) = 1 THEN
    town := towns[1];
  END IF;
  IF town IS NOT NULL THEN
    IF NOT town = ANY (towns) THEN
      RETURN NULL;
    END IF;
    cond := format('town_id = %s AND ', town);
  ELSIF cardinality(towns) < (SELECT count(*) FROM towns) THEN
    cond := format('town_id = ANY (%L::bigint[]) AND ', towns);
  END IF; -- else every town: no condition
  IF length(lower(q)) <= 2 THEN
    -- One or two characters: in how many cases in a hundred, by the
    -- statistics of the pairs' index (not listed: rarer than any listed).
    SELECT s.most_common_elem_freqs[array_position(s.most_common_elems::text::text[], lower(q))]
      INTO share FROM pg_stats s
      WHERE s.schemaname = 'public' AND s.tablename = 'cases_search_grams_idx';
    IF coalesce(share, 0) < 0.01 THEN
      -- Rare: the pairs' index, exact (no row to read again).
      RETURN cond || 'case_search_grams(' || doc || ') @> ARRAY[lower($2)]';
    END IF;
    -- Common: the newest cases in order until enough match, by ILIKE,
    -- which is cheaper on each row than the pairs.
    RETURN cond || doc || ' ILIKE $1';
  END IF;
  IF q ~ '\s' AND NOT EXISTS (SELECT FROM regexp_split_to_table(q, '\s+') w WHERE length(w) < 3) THEN
    -- Several words of three characters or more (干沙村 第8组): the index
    -- looks up the words' own trigrams, not those a space makes (" 第8",
    -- "  第": one case in five, every case), and the exact test follows,
    -- in CASE as above.
    RETURN cond || doc || ' ILIKE $3 AND CASE WHEN ' || doc || ' ILIKE $1 THEN true END';
  END IF;
  RETURN cond || doc || ' ILIKE $1';
END $$;
REVOKE ALL ON FUNCTION search_case_condition(text, bigint) FROM PUBLIC;

-- search_case_patterns are the LIKE patterns of a search q: its text, and
-- its words in order with anything between; % and _ are characters like
-- any other.
CREATE FUNCTION search_case_patterns(q text, OUT exact text, OUT words text)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT '%' || e || '%', '%' || regexp_replace(e, '\s+', '%', 'g') || '%'
  FROM (SELECT replace(replace(replace(q, '\', '\\'), '%', '\%'), '_', '\_') AS e) s
$$;

-- search_case_ids returns the ids of the cases the caller may read whose
-- party or place contains q (case-insensitive), in town (NULL: every town
-- the caller reads):
-- * newest: the newest first, below before (a keyset cursor) if given, at
--   most max_rows: one page of the list;
-- * otherwise every one (max_rows NULL), or at most max_rows in any order.
-- It is planned for the very words searched (dynamic SQL), so a common word
-- reads the newest cases in order until it has a page and a rare one its
-- index. No parallel workers: starting them costs more than these queries.
CREATE FUNCTION search_case_ids(q text, town bigint, before bigint, max_rows int, newest boolean)
RETURNS bigint[] LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public SET max_parallel_workers_per_gather = 0 AS $$
DECLARE
  cond text;
  p record;
  ids bigint[];
BEGIN
  q := btrim(q);
  cond := search_case_condition(q, town);
  p := search_case_patterns(q);
  IF cond IS NULL OR max_rows <= 0 THEN
    RETURN '{}';
  END IF;
  IF before IS NOT NULL THEN
    cond := cond || format(' AND id < %s', before);
  END IF;
  EXECUTE 'SELECT coalesce(array_agg(id), ''{}'') FROM (SELECT id FROM cases WHERE ' || cond ||
      CASE WHEN newest THEN ' ORDER BY id DESC' ELSE '' END ||
      CASE WHEN max_rows IS NOT NULL THEN format(' LIMIT %s', max_rows) ELSE '' END || ') s'
    INTO ids USING p.exact, q, p.words;
  RETURN ids;
END $$;
REVOKE ALL ON FUNCTION search_case_ids(text, bigint, bigint, int, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_case_ids(text, bigint, bigint, int, boolean) TO zhifa_app;

-- search_case_totals counts the cases of that search, at most max_count of
-- them (any, the cheapest to find: the caller says "more than" when it gets
-- max_count), with how many of those are overdue (next deadline before
-- overdue_before) and due soon (from overdue_before to soon_until).
CREATE FUNCTION search_case_totals(q text, town bigint, max_count int, overdue_before date, soon_until date,
                                   OUT matched int, OUT overdue int, OUT due_soon int)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public SET max_parallel_workers_per_gather = 0 AS $$
DECLARE
  cond text;
  p record;
BEGIN
  q := btrim(q);
  cond := search_case_condition(q, town);
  p := search_case_patterns(q);
  matched := 0;
  overdue := 0;
  due_soon := 0;
  IF cond IS NULL OR max_count <= 0 THEN
    RETURN;
  END IF;
  EXECUTE format('SELECT count(*), count(*) FILTER (WHERE next_due_on < %L::date),
      count(*) FILTER (WHERE next_due_on >= %L::date AND next_due_on <= %L::date)
    FROM (SELECT next_due_on FROM cases WHERE %s LIMIT %s) s', overdue_before, overdue_before, soon_until, cond, max_count)
    INTO matched, overdue, due_soon USING p.exact, q, p.words;
END $$;
REVOKE ALL ON FUNCTION search_case_totals(text, bigint, int, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_case_totals(text, bigint, int, date, date) TO zhifa_app;
