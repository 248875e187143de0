-- Back to 0026: the search on the case rows, with its dynamic SQL.
DROP FUNCTION search_case_totals(text, bigint, int, date, date);
DROP FUNCTION search_case_ids(text, bigint, bigint, int, boolean);
DROP TRIGGER cases_search_insert ON cases;
DROP TRIGGER cases_search_update ON cases;
DROP FUNCTION case_search_insert();
DROP FUNCTION case_search_update();
DROP FUNCTION case_search_rebuild();
DROP TABLE case_search;
DROP FUNCTION case_search_keys(bigint, text);
DROP FUNCTION case_search_text(text, text, text);

-- The keys of text t in town: each run of one, two and three adjacent
-- characters, lower case, without spaces (the separator of the searched
-- fields), prefixed with the town ("12:干沙"). Exact: a search of up to
-- three characters without a space is in t exactly when its key is among
-- them, and a key names its town (digits, then the colon).
--
-- COST: computing them on a case read is far dearer than the ILIKE that
-- tells the same; only their index should use them.
CREATE FUNCTION case_search_keys(town bigint, t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 10000 AS $$
DECLARE
  p constant text := town || ':';
  c text[] := regexp_split_to_array(lower(t), '');
  n int := cardinality(c);
  r text[] := '{}';
  k int := 0;
BEGIN
  FOR i IN 1 .. n LOOP
    CONTINUE WHEN c[i] = ' ' OR c[i] = '';
    k := k + 1;
    r[k] := p || c[i];
    IF i < n AND c[i + 1] <> ' ' THEN
      k := k + 1;
      r[k] := p || c[i] || c[i + 1];
      IF i + 1 < n AND c[i + 2] <> ' ' THEN
        k := k + 1;
        r[k] := p || c[i] || c[i + 1] || c[i + 2];
      END IF;
    END IF;
  END LOOP;
  RETURN r;
END $$;

CREATE INDEX cases_search_trgm_idx ON cases USING gin
  ((party_name || ' ' || place_village || ' ' || place_address) gin_trgm_ops);
CREATE INDEX cases_search_keys_idx ON cases USING gin
  (case_search_keys(town_id, party_name || ' ' || place_village || ' ' || place_address));
-- With the default statistics target a word in one case in a hundred or
-- fewer looks rarer than it is (干沙村 第8组: 6,666 of a million estimated
-- 100), and a town's keys go unlisted.
ALTER INDEX cases_search_trgm_idx ALTER COLUMN 1 SET STATISTICS 1000;
ALTER INDEX cases_search_keys_idx ALTER COLUMN 1 SET STATISTICS 1000;

-- search_case_patterns are the LIKE patterns of a search q: its text, and
-- its words in order with anything between; % and _ are characters like
-- any other.
CREATE FUNCTION search_case_patterns(q text, OUT exact text, OUT words text)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT '%' || e || '%', '%' || regexp_replace(e, '\s+', '%', 'g') || '%'
  FROM (SELECT replace(replace(replace(q, '\', '\\'), '%', '\%'), '_', '\_') AS e) s
$$;

-- search_case_estimate is the planner's estimate of how many rows query
-- returns, with pattern as $1 and keys as $2: from the statistics of the
-- indexes (VOLATILE: PostgreSQL runs EXPLAIN only there).
CREATE FUNCTION search_case_estimate(query text, pattern text, keys text[]) RETURNS real
LANGUAGE plpgsql VOLATILE SET search_path = public AS $$
DECLARE
  plan json;
BEGIN
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || query INTO plan USING pattern, keys;
  RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::real;
END $$;
REVOKE ALL ON FUNCTION search_case_estimate(text, text, text[]) FROM PUBLIC;

-- search_case_ids returns the ids of the cases the caller may read whose
-- party or place contains q (case-insensitive), in town (NULL: every town
-- the caller reads):
-- * newest: the newest first, below before (a keyset cursor) if given, at
--   most max_rows: one page of the list;
-- * otherwise every one (max_rows NULL), or at most max_rows in any order
--   (the cheapest to find: for counting).
--
-- Row-level security evaluates its own test before any condition that is
-- not leakproof, such as ILIKE or @>, so a query under the app role cannot
-- use the search indexes. This function runs as the schema owner (which
-- bypasses row-level security where the deployment grants it BYPASSRLS, as
-- the local cluster does) and applies the same tenancy test itself, from
-- the caller's own settings (app_read_towns): it returns only cases the
-- caller may read. The caller's text goes into the SQL it runs only as
-- parameters. No parallel workers and no JIT compiling (the keys' COST
-- would ask for it): starting them costs more than these queries. A random
-- page costs little more than the next one (random_page_cost 1.1, as for
-- data in memory, which the cases are as a rule): at 4 the planner reads
-- every case in order to find a word in one case in fifty rather than
-- its index (a count of 第3组 county-wide: 17 ms against 9).
CREATE FUNCTION search_case_ids(q text, town bigint, before bigint, max_rows int, newest boolean)
RETURNS bigint[] LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public SET max_parallel_workers_per_gather = 0 SET jit = off SET random_page_cost = 1.1 AS $$
DECLARE
  -- Reading the newest cases in order costs a read per case, an index a
  -- read per match: below this many matches expected, the index.
  few constant real := 2000;
  doc constant text := '(party_name || '' '' || place_village || '' '' || place_address)';
  towns bigint[] := app_read_towns();
  every_town boolean;
  lq text;
  grams text[]; -- q's runs of three characters, or else of two, or one
  single boolean; -- q is one of them: its key alone is exact
  p record;
  keys text[];
  indexed text; -- the condition by an index
  scanned text; -- the condition tested on each case read in order
  below text := '';
  page text := '';
  ids bigint[];
  more bigint[];
  lowest bigint;
  read int;
  scope text; -- the condition of the town or towns searched
  expect real; -- how many match, by the statistics
  window_rows int; -- how many of the newest cases to read first
BEGIN
  q := btrim(q);
  IF q IS NULL OR q = '' OR cardinality(towns) = 0 OR max_rows <= 0 THEN
    RETURN '{}';
  END IF;
  IF town IS NULL AND cardinality(towns) = 1 THEN
    town := towns[1];
  END IF;
  IF town IS NOT NULL AND NOT town = ANY (towns) THEN
    RETURN '{}';
  END IF;
  every_town := cardinality(towns) >= (SELECT count(*) FROM towns);
  p := search_case_patterns(q);
  lq := lower(q);
  grams := ARRAY(SELECT DISTINCT substr(g, 3) FROM unnest(case_search_keys(0, lq)) g
                 WHERE length(g) = (SELECT max(length(k)) FROM unnest(case_search_keys(0, lq)) k));
  single := cardinality(grams) = 1 AND grams[1] = lq;
  IF before IS NOT NULL THEN
    below := format(' AND id < %s', before);
  END IF;
  IF newest THEN
    page := ' ORDER BY id DESC';
  END IF;
  IF max_rows IS NOT NULL THEN
    page := page || format(' LIMIT %s', max_rows);
  END IF;

  IF town IS NULL AND length(lq) > 2 THEN
    -- County-wide, three characters or more: the planner, which knows from
    -- the trigrams' statistics how common the words are. Several words
    -- (干沙村 第8组) look up their own trigrams, not those their spaces make
    -- (" 第8", "  第": one case in five, every case), and the exact test
    -- follows, in CASE so that the planner does not count it twice.
    scanned := doc || ' ILIKE $1';
    IF q ~ '\s' AND NOT EXISTS (SELECT FROM regexp_split_to_table(q, '\s+') w WHERE length(w) < 3) THEN
      scanned := doc || ' ILIKE $2 AND CASE WHEN ' || doc || ' ILIKE $1 THEN true END';
    END IF;
    IF NOT every_town THEN
      scanned := format('town_id = ANY (%L::bigint[]) AND ', towns) || scanned;
    END IF;
    EXECUTE 'SELECT coalesce(array_agg(id), ''{}'') FROM (SELECT id FROM cases WHERE ' || scanned || below || page || ') s'
      INTO ids USING p.exact, p.words;
    RETURN ids;
  END IF;

  IF town IS NULL THEN
    -- One or two characters county-wide: its key in any town.
    keys := ARRAY(SELECT t || ':' || lq FROM unnest(towns) t);
    indexed := 'case_search_keys(town_id, ' || doc || ') && $3';
    scope := CASE WHEN every_town THEN 'true' ELSE format('town_id = ANY (%L::bigint[])', towns) END;
  ELSE
    -- A town's search: the town's keys of q's longest runs (its own
    -- entries only; the town in CASE, so that the planner does not also
    -- read the town's rows from a btree index: the keys name it already).
    keys := ARRAY(SELECT town || ':' || g FROM unnest(grams) g);
    indexed := 'case_search_keys(town_id, ' || doc || ') @> $3' || format(' AND CASE WHEN town_id = %s THEN true END', town);
    IF NOT single THEN
      -- In CASE too, or the planner adds the trigram index's every match
      -- in the county to the town's few candidates.
      indexed := indexed || ' AND CASE WHEN ' || doc || ' ILIKE $1 THEN true END';
    END IF;
    scope := format('town_id = %s', town);
  END IF;
  -- How many match, at most, by the planner's estimates: in a town, of the
  -- rarer of its first and last keys, from the keys' statistics;
  -- county-wide of the ILIKE, from the trigram index's (which hold the
  -- whole text, so serve one or two characters too). A town's count, or
  -- every match, the index gives at once: the town's candidates only.
  IF town IS NOT NULL AND newest AND max_rows IS NOT NULL THEN
    SELECT min(search_case_estimate('SELECT FROM cases WHERE case_search_keys(town_id, ' || doc || ') @> $2', NULL, ARRAY[k]))
      INTO expect FROM unnest(ARRAY[keys[1], keys[cardinality(keys)]]) k;
  ELSIF town IS NULL AND max_rows IS NOT NULL THEN
    expect := search_case_estimate('SELECT FROM cases WHERE ' || scope || ' AND ' || doc || ' ILIKE $1', p.exact, NULL);
  END IF;
  IF max_rows IS NULL OR coalesce(expect, 0) <= few THEN
    EXECUTE 'SELECT coalesce(array_agg(id), ''{}'') FROM (SELECT id FROM cases WHERE ' || indexed || below || page || ') s'
      INTO ids USING p.exact, p.words, keys;
    RETURN ids;
  END IF;

  -- Common (干沙, 干沙村): first the newest cases in order, as many as
  -- should hold half as many matches again as wanted, then, if they held
  -- too few (the estimate is an estimate), the index below them.
  window_rows := least(greatest(ceil(1.5 * max_rows * search_case_estimate('SELECT FROM cases WHERE ' || scope, NULL, NULL)
    / expect), max_rows), 10000);
  EXECUTE format('SELECT coalesce(array_agg(id ORDER BY id DESC), ''{}'') FROM (SELECT id FROM
      (SELECT id, %s AS d FROM cases WHERE %s%s ORDER BY id DESC LIMIT %s) w
      WHERE d ILIKE $1 LIMIT %s) s', doc, scope, below, window_rows, max_rows)
    INTO ids USING p.exact;
  IF cardinality(ids) >= max_rows THEN
    RETURN ids;
  END IF;
  EXECUTE format('SELECT min(id), count(*) FROM (SELECT id FROM cases WHERE %s%s ORDER BY id DESC LIMIT %s) w',
      scope, below, window_rows)
    INTO lowest, read;
  IF read < window_rows THEN
    RETURN ids; -- every case was read
  END IF;
  EXECUTE 'SELECT coalesce(array_agg(id), ''{}'') FROM (SELECT id FROM cases WHERE ' || indexed ||
      format(' AND id < %s', lowest) || CASE WHEN newest THEN ' ORDER BY id DESC' ELSE '' END ||
      format(' LIMIT %s', max_rows - cardinality(ids)) || ') s'
    INTO more USING p.exact, p.words, keys;
  RETURN ids || more;
END $$;
REVOKE ALL ON FUNCTION search_case_ids(text, bigint, bigint, int, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_case_ids(text, bigint, bigint, int, boolean) TO zhifa_app;

-- search_case_totals counts the cases of that search, at most max_count of
-- them (any, the cheapest to find: the caller says "more than" when it gets
-- max_count), with how many of those are overdue (next deadline before
-- overdue_before) and due soon (from overdue_before to soon_until).
CREATE FUNCTION search_case_totals(q text, town bigint, max_count int, overdue_before date, soon_until date,
                                   OUT matched int, OUT overdue int, OUT due_soon int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  ids bigint[] := search_case_ids(q, town, NULL, max_count, false);
BEGIN
  SELECT count(*), count(*) FILTER (WHERE next_due_on < overdue_before),
         count(*) FILTER (WHERE next_due_on >= overdue_before AND next_due_on <= soon_until)
    INTO matched, overdue, due_soon
    FROM cases WHERE id = ANY (ids);
END $$;
REVOKE ALL ON FUNCTION search_case_totals(text, bigint, int, date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_case_totals(text, bigint, int, date, date) TO zhifa_app;
