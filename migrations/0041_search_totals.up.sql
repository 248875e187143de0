-- A search's totals from what the page's search found, without reading
-- its matches again.
--
-- The list asks search_case_ids for a page and then search_case_totals for
-- its totals (共 N 件, overdue, due soon), in one transaction; the page's
-- search leaves its matches in a transaction-local setting (0031). The
-- totals took them from there through search_case_ids, which tested each
-- again (the caller could have written the setting), and then read their
-- deadlines: two probes a match, and a parse of every match kept.
--
-- Now the setting also says how many matches it holds, and when the page's
-- search found every match, or more than the totals count, the totals take
-- them at once:
-- * more than max_count: the count is capped, nothing is read (the page
--   shows neither overdue nor due soon then);
-- * else one probe a match, of its deadline, which also tests that the
--   case is one of the caller's towns. A setting the caller wrote can then
--   make the caller's own totals wrong, and show nothing of another town.
--
-- search_state_key names a search's state: the search, its town (the
-- caller's only town when it reads one) and the caller's towns.
-- (plpgsql: called from plpgsql, an SQL function was planned on each call.)
CREATE FUNCTION search_state_key(q text, town bigint, towns bigint[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN md5(lower(btrim(q))) || '/' || coalesce(coalesce(town, CASE WHEN cardinality(towns) = 1 THEN towns[1] END)::text, '')
         || '/' || array_to_string(towns, ',');
END $$;

-- 0037's function, with the state's key from search_state_key and the
-- number of matches in the state (saved[7]) before the matches (saved[8]).
-- And the windows count the rows holding the first and the last word of a
-- search of several words as they read them: the rarer word's share was
-- found by reading the rows again (a quarter of a millisecond for a place,
-- 干沙村 第8组).
CREATE OR REPLACE FUNCTION search_case_ids(q text, town bigint, before bigint, max_rows int, newest boolean,
                                count_rows int DEFAULT NULL)
RETURNS bigint[] LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public SET plan_cache_mode = force_generic_plan SET max_parallel_workers_per_gather = 0 SET jit = off
SET random_page_cost = 1.1 AS $$
DECLARE
  visit constant float8 := 20; -- a match visited in the table, in rows read in order
  lookup constant float8 := 4; -- an index entry of a word looked up, likewise
  first_window constant int := 1000;
  most_window constant int := 200000;
  towns constant bigint[] := app_read_towns();
  lq constant text := lower(btrim(q));
  want constant int := coalesce(max_rows, 2147483647);
  words text[];
  key text; -- of the saved state: the search and the caller's towns
  saved text[];
  n_towns int;
  every_town boolean; -- no town condition: the caller reads every town
  top bigint := coalesce(before, 9223372036854775807); -- below this id
  complete boolean := false; -- ids holds every match below before
  w int := first_window;
  ids bigint[] := '{}';
  got bigint[];
  lowest bigint;
  n bigint;
  start_top constant bigint := coalesce(before, 9223372036854775807); -- (a state is kept from the top only)
  nread bigint := 0; -- rows read in order
  hits bigint := 0; -- matches among them
  f float8; -- their share
  by_index float8; -- the rest's cost by an index, in rows read in order
  tw bigint;
  fw float8; -- the rarer word's share
  multi constant boolean := lq ~ '\s'; -- more than one word
  c1 bigint; -- a window's rows holding the first word
  cn bigint; -- and the last
  w1 bigint := 0; -- the windows' rows holding the first word, from the top
  wn bigint := 0; -- and the last
  resumed boolean := false; -- from the state: w1 and wn are not known
  r int;
  below float8;
  grams text[];
  keys text[];
  pattern text;
BEGIN
  IF lq IS NULL OR lq = '' OR cardinality(towns) = 0 OR want <= 0 THEN
    RETURN '{}';
  END IF;
  IF town IS NULL AND cardinality(towns) = 1 THEN
    town := towns[1];
  END IF;
  IF town IS NOT NULL AND NOT town = ANY (towns) THEN
    RETURN '{}';
  END IF;
  n_towns := greatest((SELECT count(*) FROM towns), 1);
  every_town := town IS NULL AND cardinality(towns) >= n_towns;
  words := regexp_split_to_array(lq, '\s+');

  -- Where a search from the top got to in this transaction.
  key := search_state_key(lq, town, towns);
  IF before IS NULL THEN
    saved := string_to_array(current_setting('zhifa.search_state', true), E'\x1f');
    IF saved[1] = key THEN
      got := (string_to_array(saved[8], ',')::bigint[])[1:want];
      SELECT array_agg(case_id ORDER BY case_id DESC) INTO got FROM case_search
        WHERE case_id = ANY (got) AND strpos(t, lq) > 0 AND (every_town OR town_id = ANY (towns)) AND (town IS NULL OR town_id = town);
      ids := coalesce(got, '{}');
      complete := saved[2]::boolean;
      IF complete OR cardinality(ids) >= want THEN
        RETURN ids;
      END IF;
      top := saved[3]::bigint;
      nread := saved[4]::bigint;
      hits := saved[5]::bigint;
      fw := nullif(saved[6], '')::float8;
      resumed := true;
    END IF;
  END IF;

  -- In order, newest first, a window of w rows at a time: its matches,
  -- its last row and how many it held.
  FOR pass IN 1 .. 5 LOOP
    IF NOT (pass = 1 AND nread > 0) THEN -- (resumed: decide first)
      IF town IS NOT NULL THEN
        SELECT array_agg(case_id ORDER BY case_id DESC) FILTER (WHERE strpos(t, lq) > 0), min(case_id), count(*),
               count(*) FILTER (WHERE multi AND strpos(t, words[1]) > 0),
               count(*) FILTER (WHERE multi AND strpos(t, words[cardinality(words)]) > 0)
          INTO got, lowest, n, c1, cn
          FROM (SELECT case_id, t FROM case_search WHERE town_id = town AND case_id < top
                ORDER BY town_id DESC, case_id DESC LIMIT w) s;
      ELSE
        SELECT array_agg(case_id ORDER BY case_id DESC) FILTER (WHERE strpos(t, lq) > 0), min(case_id), count(*),
               count(*) FILTER (WHERE multi AND strpos(t, words[1]) > 0),
               count(*) FILTER (WHERE multi AND strpos(t, words[cardinality(words)]) > 0)
          INTO got, lowest, n, c1, cn
          FROM (SELECT case_id, t FROM case_search WHERE case_id < top AND (every_town OR town_id = ANY (towns))
                ORDER BY case_id DESC LIMIT w) s;
      END IF;
      ids := ids || coalesce(got, '{}');
      IF n < w THEN
        complete := true; -- every case below was read
        EXIT;
      END IF;
      top := lowest;
      nread := nread + n;
      hits := hits + coalesce(cardinality(got), 0);
      w1 := w1 + c1;
      wn := wn + cn;
      EXIT WHEN cardinality(ids) >= want;
    END IF;
    EXIT WHEN pass = 5;
    r := want - cardinality(ids);
    f := hits::float8 / nread;
    -- The rows below: ids are given in order across the towns.
    below := top::float8 * CASE WHEN town IS NOT NULL THEN 1 ELSE cardinality(towns) END / n_towns;
    -- The rarer of the first and the last word (the one whose entries an
    -- index reads), among the rows read so far: counted by the windows
    -- themselves, or read again when resumed.
    IF fw IS NULL THEN
      IF cardinality(words) = 1 THEN
        fw := f;
      ELSIF NOT resumed THEN
        fw := least(w1, wn)::float8 / nread;
      ELSIF town IS NOT NULL THEN
        SELECT least(count(*) FILTER (WHERE strpos(t, words[1]) > 0), count(*) FILTER (WHERE strpos(t, words[cardinality(words)]) > 0))::float8
               / greatest(count(*), 1) INTO fw
          FROM (SELECT t FROM case_search WHERE town_id = town AND case_id < start_top
                ORDER BY town_id DESC, case_id DESC LIMIT nread) s;
      ELSE
        SELECT least(count(*) FILTER (WHERE strpos(t, words[1]) > 0), count(*) FILTER (WHERE strpos(t, words[cardinality(words)]) > 0))::float8
               / greatest(count(*), 1) INTO fw
          FROM (SELECT t FROM case_search WHERE case_id < start_top AND (every_town OR town_id = ANY (towns))
                ORDER BY case_id DESC LIMIT nread) s;
      END IF;
    END IF;
    -- In order: r / f rows, or every row below. By an index: the rarer
    -- word's entries, then every match below for the newest; or for any
    -- r, the entries and matches of the towns that hold them (below).
    IF newest OR town IS NOT NULL THEN
      by_index := lookup * fw * below + visit * CASE WHEN newest THEN f * below ELSE least(f * below, r) END;
    ELSE
      by_index := least(cardinality(towns), ceil(r / greatest(f * below / cardinality(towns), 1))) / cardinality(towns)
                  * lookup * fw * below + visit * least(f * below, r);
    END IF;
    -- A first page to be counted up to count_rows next: in order, the
    -- count reads on to there; by an index, this search finds them all.
    EXIT WHEN f = 0 OR least(CASE WHEN newest AND before IS NULL AND count_rows > want
                                  THEN count_rows - cardinality(ids) ELSE r END / f, below) > by_index;
    w := CASE WHEN max_rows IS NULL THEN 2147483647 -- every match: read them all
              ELSE least(greatest(ceil(1.25 * r / f), first_window), most_window) END;
  END LOOP;

  IF NOT complete AND cardinality(ids) < want THEN
    -- The rest by an index, below top: every match newest first (kept for
    -- the count), or the first r. case_id + 0: not the primary key's range
    -- too, which is most of the table.
    r := want - cardinality(ids);
    grams := case_search_keys(0, lq);
    grams := ARRAY(SELECT DISTINCT substr(g, 3) FROM unnest(grams) g
                   WHERE length(g) = (SELECT max(length(k)) FROM unnest(grams) k));
    IF town IS NOT NULL OR NOT newest THEN
      -- The towns' own keys of q's longest runs, a town at a time: a
      -- town's search reads its own entries only, and any r across towns
      -- stop at the first towns that hold them (a common word's first).
      FOREACH tw IN ARRAY CASE WHEN town IS NOT NULL THEN ARRAY[town] ELSE towns END LOOP
        keys := ARRAY(SELECT tw || ':' || g FROM unnest(grams) g);
        IF newest THEN
          SELECT array_agg(case_id ORDER BY case_id DESC) INTO got FROM case_search
            WHERE case_search_keys(town_id, t) @> keys AND case_id + 0 < top AND strpos(t, lq) > 0;
        ELSE
          SELECT array_agg(case_id) INTO got FROM (
            SELECT case_id FROM case_search
            WHERE case_search_keys(town_id, t) @> keys AND case_id + 0 < top AND strpos(t, lq) > 0 LIMIT r) s;
        END IF;
        ids := ids || coalesce(got, '{}');
        r := want - cardinality(ids);
        EXIT WHEN r <= 0;
      END LOOP;
    ELSIF lq ~ '[[:alnum:]]{3}' THEN
      -- Every match across towns, by a word of three letters or more:
      -- trigrams, of the words in order with anything between (the
      -- spaces' own trigrams, such as "  第", are in most cases).
      pattern := '%' || regexp_replace(replace(replace(replace(lq, '\', '\\'), '%', '\%'), '_', '\_'), '\s+', '%', 'g') || '%';
      SELECT array_agg(case_id ORDER BY case_id DESC) INTO got FROM case_search
        WHERE t LIKE pattern AND case_id + 0 < top AND strpos(t, lq) > 0 AND (every_town OR town_id = ANY (towns));
      ids := ids || coalesce(got, '{}');
    ELSE
      -- Shorter: one of its runs in any of the towns.
      keys := ARRAY(SELECT x || ':' || grams[1] FROM unnest(towns) x);
      SELECT array_agg(case_id ORDER BY case_id DESC) INTO got FROM case_search
        WHERE case_search_keys(town_id, t) && keys AND case_id + 0 < top AND strpos(t, lq) > 0;
      ids := ids || coalesce(got, '{}');
    END IF;
    complete := newest OR cardinality(ids) < want;
  END IF;

  IF before IS NULL AND newest AND cardinality(ids) <= 10000 THEN
    IF fw IS NULL AND multi AND NOT resumed AND nread > 0 THEN
      fw := least(w1, wn)::float8 / nread; -- (else the count reads the rows again)
    END IF;
    PERFORM set_config('zhifa.search_state', concat_ws(E'\x1f', key, complete, top, nread, hits, coalesce(fw::text, ''),
                                                       cardinality(ids), array_to_string(ids, ',')), true);
  END IF;
  RETURN ids[1:want];
END $$;

CREATE OR REPLACE FUNCTION search_case_totals(q text, town bigint, max_count int, overdue_before date, soon_until date,
                                              OUT matched int, OUT overdue int, OUT due_soon int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  towns constant bigint[] := app_read_towns();
  saved constant text[] := string_to_array(current_setting('zhifa.search_state', true), E'\x1f');
  ids bigint[];
BEGIN
  overdue := 0;
  due_soon := 0;
  IF saved[1] = search_state_key(q, town, towns) AND (saved[2]::boolean OR saved[7]::int >= max_count) THEN
    -- The page's search found them all, or more than are counted.
    IF saved[7]::int >= max_count THEN
      matched := max_count;
      RETURN;
    END IF;
    ids := string_to_array(saved[8], ',')::bigint[];
  ELSE
    ids := search_case_ids(q, town, NULL, max_count, false);
    matched := cardinality(ids);
    IF matched >= max_count THEN
      RETURN;
    END IF;
  END IF;
  -- Every case has its case_due row; the town test is for ids taken from
  -- the setting.
  SELECT count(*), count(*) FILTER (WHERE next_due_on < overdue_before),
         count(*) FILTER (WHERE next_due_on >= overdue_before AND next_due_on <= soon_until)
    INTO matched, overdue, due_soon
    FROM case_due WHERE case_id = ANY (ids) AND town_id = ANY (towns) AND (town IS NULL OR town_id = town);
END $$;
