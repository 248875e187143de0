-- The statistics of issue 13 (internal/stats, cases.PeriodStats).
--
-- 1. Reconsiderations (行政复议) and lawsuits (行政诉讼) against the towns'
-- decisions, by town, month and kind, kept
-- current by triggers in the same transaction as each remedy recorded or
-- decided, like case_stats (migration 0027), so that the county's
-- "零复议纠错、零诉讼败诉" for any period is a sum over a few rows.
-- case_remedy_stats_computed() states the same numbers set-wise from
-- case_remedies (the consistency check, cases.CheckStats);
-- case_remedy_stats_rebuild() replaces the table with them.

CREATE TABLE case_remedy_stats (
  town_id   bigint NOT NULL REFERENCES towns (id),
  -- The first day of the month: a remedy counts as filed in the month of
  -- its filed_on, and as decided (with its outcome) in the month of its
  -- decided_on.
  month     date   NOT NULL CHECK (month = date_trunc('month', month::timestamp)::date),
  kind      text   NOT NULL CHECK (kind IN ('reconsideration', 'litigation')),
  filed     int    NOT NULL DEFAULT 0, -- remedies filed
  decided   int    NOT NULL DEFAULT 0, -- outcomes recorded: upheld + corrected + withdrawn
  upheld    int    NOT NULL DEFAULT 0, -- the decision upheld (维持, 胜诉)
  corrected int    NOT NULL DEFAULT 0, -- corrected: revoked, changed or the lawsuit lost (纠错, 败诉)
  withdrawn int    NOT NULL DEFAULT 0, -- withdrawn by the party (撤回)
  PRIMARY KEY (town_id, month, kind)
);

-- What one remedy adds: filed in its month; once it has an outcome,
-- decided in the month of its decision (of its filing, should the date be
-- missing, so that filed - decided is always the pending count).
CREATE FUNCTION case_remedy_stats_rows(r case_remedies) RETURNS case_remedy_stats[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY[(r.town_id, date_trunc('month', r.filed_on::timestamp)::date, r.kind, 1, 0, 0, 0, 0)::case_remedy_stats]
    || CASE WHEN r.outcome = 'pending' THEN '{}'::case_remedy_stats[]
            ELSE ARRAY[(r.town_id, date_trunc('month', coalesce(r.decided_on, r.filed_on)::timestamp)::date, r.kind, 0, 1,
                        (r.outcome = 'upheld')::int, (r.outcome = 'corrected')::int, (r.outcome = 'withdrawn')::int)::case_remedy_stats] END
$$;

-- Adds plus and subtracts minus, summed per key, in key order (two
-- transactions of one town lock the rows they share in the same order).
CREATE FUNCTION case_remedy_stats_add(plus case_remedy_stats[], minus case_remedy_stats[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO case_remedy_stats AS s
  SELECT d.town_id, d.month, d.kind, sum(d.filed), sum(d.decided), sum(d.upheld), sum(d.corrected), sum(d.withdrawn)
  FROM (
    SELECT * FROM unnest(plus)
    UNION ALL
    SELECT m.town_id, m.month, m.kind, -m.filed, -m.decided, -m.upheld, -m.corrected, -m.withdrawn FROM unnest(minus) m
  ) d
  GROUP BY 1, 2, 3
  HAVING sum(d.filed) <> 0 OR sum(d.decided) <> 0 OR sum(d.upheld) <> 0 OR sum(d.corrected) <> 0 OR sum(d.withdrawn) <> 0
  ORDER BY 1, 2, 3
  ON CONFLICT (town_id, month, kind) DO UPDATE SET
    filed = s.filed + EXCLUDED.filed, decided = s.decided + EXCLUDED.decided, upheld = s.upheld + EXCLUDED.upheld,
    corrected = s.corrected + EXCLUDED.corrected, withdrawn = s.withdrawn + EXCLUDED.withdrawn
$$;

-- A remedy recorded, its outcome recorded, or (by the owner) deleted. As
-- the owner (SECURITY DEFINER): the app role may only read the numbers.
CREATE FUNCTION case_remedy_stats_track() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  PERFORM case_remedy_stats_add(
    CASE WHEN TG_OP = 'DELETE' THEN '{}'::case_remedy_stats[] ELSE case_remedy_stats_rows(NEW) END,
    CASE WHEN TG_OP = 'INSERT' THEN '{}'::case_remedy_stats[] ELSE case_remedy_stats_rows(OLD) END);
  RETURN NULL;
END $$;
CREATE TRIGGER case_remedies_stats_insert AFTER INSERT ON case_remedies FOR EACH ROW EXECUTE FUNCTION case_remedy_stats_track();
-- Only a change to what the numbers read fires it (not an edit of the note).
CREATE TRIGGER case_remedies_stats_update AFTER UPDATE ON case_remedies FOR EACH ROW
  WHEN ((OLD.town_id, OLD.kind, OLD.filed_on, OLD.outcome, OLD.decided_on)
        IS DISTINCT FROM (NEW.town_id, NEW.kind, NEW.filed_on, NEW.outcome, NEW.decided_on))
  EXECUTE FUNCTION case_remedy_stats_track();
CREATE TRIGGER case_remedies_stats_delete AFTER DELETE ON case_remedies FOR EACH ROW EXECUTE FUNCTION case_remedy_stats_track();

-- The numbers recomputed from the remedies the caller may read, set-wise.
CREATE FUNCTION case_remedy_stats_computed() RETURNS SETOF case_remedy_stats LANGUAGE sql STABLE AS $$
  SELECT town_id, month, kind, sum(filed)::int, sum(decided)::int, sum(upheld)::int, sum(corrected)::int, sum(withdrawn)::int
  FROM (
    SELECT town_id, date_trunc('month', filed_on::timestamp)::date AS month, kind, 1 AS filed, 0 AS decided, 0 AS upheld,
           0 AS corrected, 0 AS withdrawn
    FROM case_remedies
    UNION ALL
    SELECT town_id, date_trunc('month', coalesce(decided_on, filed_on)::timestamp)::date, kind, 0, 1,
           (outcome = 'upheld')::int, (outcome = 'corrected')::int, (outcome = 'withdrawn')::int
    FROM case_remedies WHERE outcome <> 'pending'
  ) r
  GROUP BY 1, 2, 3
$$;

-- Replaces the table with the recount (after a bulk load, or to repair).
-- The owner's alone; it reads every town whatever the session's tenancy.
CREATE FUNCTION case_remedy_stats_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  scope text := current_setting('app.scope', true);
  n bigint;
BEGIN
  PERFORM set_config('app.scope', 'county_admin', true);
  LOCK TABLE case_remedy_stats IN ACCESS EXCLUSIVE MODE;
  DELETE FROM case_remedy_stats;
  INSERT INTO case_remedy_stats SELECT * FROM case_remedy_stats_computed() ORDER BY 1, 2, 3;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('app.scope', coalesce(scope, ''), true);
  RETURN n;
END $$;
REVOKE ALL ON FUNCTION case_remedy_stats_rebuild() FROM PUBLIC;
REVOKE ALL ON FUNCTION case_remedy_stats_add(case_remedy_stats[], case_remedy_stats[]) FROM PUBLIC;
SELECT case_remedy_stats_rebuild();

-- Tenancy: a town reads its own rows, the county every town's. Only the
-- triggers write, as the owner, for whoever may record a remedy.
ALTER TABLE case_remedy_stats ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_remedy_stats FORCE ROW LEVEL SECURITY;
CREATE POLICY case_remedy_stats_read ON case_remedy_stats FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]));
CREATE POLICY case_remedy_stats_insert ON case_remedy_stats FOR INSERT
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY case_remedy_stats_update ON case_remedy_stats FOR UPDATE
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[]))
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
GRANT SELECT ON case_remedy_stats TO zhifa_app;

-- 2. case_stats' numbers per town and month alone (case_stats_months),
-- kept from case_stats by statement triggers on it, in the same
-- transaction: the statistics' totals, towns and months read a few hundred
-- rows instead of every item's (some ten thousand for two years at a
-- million cases, whose sums cost tens of milliseconds).

CREATE TABLE case_stats_months (
  town_id           bigint NOT NULL REFERENCES towns (id),
  month             date   NOT NULL CHECK (month = date_trunc('month', month::timestamp)::date),
  registered        int    NOT NULL DEFAULT 0,
  not_filed         int    NOT NULL DEFAULT 0,
  filed             int    NOT NULL DEFAULT 0,
  extended          int    NOT NULL DEFAULT 0,
  decided           int    NOT NULL DEFAULT 0,
  no_penalty        int    NOT NULL DEFAULT 0,
  fine_fen          bigint NOT NULL DEFAULT 0,
  paid_fen          bigint NOT NULL DEFAULT 0,
  ended             int    NOT NULL DEFAULT 0,
  closed            int    NOT NULL DEFAULT 0,
  transferred       int    NOT NULL DEFAULT 0,
  revoked           int    NOT NULL DEFAULT 0,
  handling_days     bigint NOT NULL DEFAULT 0,
  handling_days_max int    NOT NULL DEFAULT 0, -- the longest of the month's rows of case_stats
  hearings          int    NOT NULL DEFAULT 0,
  reviews           int    NOT NULL DEFAULT 0,
  reviews_returned  int    NOT NULL DEFAULT 0,
  reviews_failed    int    NOT NULL DEFAULT 0,
  collected_fen     bigint NOT NULL DEFAULT 0,
  surcharge_fen     bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (town_id, month)
);

-- Adds the rows of case_stats in plus and subtracts those in minus, summed
-- per town and month, in key order (as case_stats_add); then a month whose
-- rows' longest handling time went down takes the longest of its rows of
-- case_stats again.
CREATE FUNCTION case_stats_months_add(plus case_stats[], minus case_stats[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO case_stats_months AS m
  SELECT d.town_id, d.month, sum(d.registered), sum(d.not_filed), sum(d.filed), sum(d.extended), sum(d.decided),
         sum(d.no_penalty), sum(d.fine_fen), sum(d.paid_fen), sum(d.ended), sum(d.closed), sum(d.transferred), sum(d.revoked),
         sum(d.handling_days), greatest(max(d.handling_days_max), 0), sum(d.hearings), sum(d.reviews), sum(d.reviews_returned),
         sum(d.reviews_failed), sum(d.collected_fen), sum(d.surcharge_fen)
  FROM (
    SELECT * FROM unnest(plus)
    UNION ALL
    SELECT o.town_id, o.month, o.item_id, o.source, o.procedure, -o.registered, -o.not_filed, -o.filed, -o.extended,
           -o.decided, -o.no_penalty, -o.fine_fen, -o.paid_fen, -o.ended, -o.closed, -o.transferred, -o.revoked,
           -o.handling_days, 0, -o.hearings, -o.reviews, -o.reviews_returned, -o.reviews_failed, -o.collected_fen,
           -o.surcharge_fen
    FROM unnest(minus) o
  ) d
  GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (town_id, month) DO UPDATE SET
    registered = m.registered + EXCLUDED.registered, not_filed = m.not_filed + EXCLUDED.not_filed,
    filed = m.filed + EXCLUDED.filed, extended = m.extended + EXCLUDED.extended, decided = m.decided + EXCLUDED.decided,
    no_penalty = m.no_penalty + EXCLUDED.no_penalty, fine_fen = m.fine_fen + EXCLUDED.fine_fen,
    paid_fen = m.paid_fen + EXCLUDED.paid_fen, ended = m.ended + EXCLUDED.ended, closed = m.closed + EXCLUDED.closed,
    transferred = m.transferred + EXCLUDED.transferred, revoked = m.revoked + EXCLUDED.revoked,
    handling_days = m.handling_days + EXCLUDED.handling_days,
    handling_days_max = greatest(m.handling_days_max, EXCLUDED.handling_days_max),
    hearings = m.hearings + EXCLUDED.hearings, reviews = m.reviews + EXCLUDED.reviews,
    reviews_returned = m.reviews_returned + EXCLUDED.reviews_returned, reviews_failed = m.reviews_failed + EXCLUDED.reviews_failed,
    collected_fen = m.collected_fen + EXCLUDED.collected_fen, surcharge_fen = m.surcharge_fen + EXCLUDED.surcharge_fen;
  UPDATE case_stats_months m SET handling_days_max = coalesce((SELECT max(s.handling_days_max) FROM case_stats s
      WHERE s.town_id = m.town_id AND s.month = m.month), 0)
  WHERE (m.town_id, m.month) IN (
      SELECT o.town_id, o.month FROM unnest(minus) o
      WHERE o.handling_days_max > coalesce((SELECT p.handling_days_max FROM unnest(plus) p
                                            WHERE (p.town_id, p.month, p.item_id, p.source, p.procedure)
                                                = (o.town_id, o.month, o.item_id, o.source, o.procedure)), 0));
END $$;
REVOKE ALL ON FUNCTION case_stats_months_add(case_stats[], case_stats[]) FROM PUBLIC;

-- The three statement triggers on case_stats: each sees the transition
-- tables its event has.
CREATE FUNCTION case_stats_months_track() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM case_stats_months_add(ARRAY(SELECT n::case_stats FROM new_rows n), '{}');
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM case_stats_months_add(ARRAY(SELECT n::case_stats FROM new_rows n), ARRAY(SELECT o::case_stats FROM old_rows o));
  ELSE
    PERFORM case_stats_months_add('{}', ARRAY(SELECT o::case_stats FROM old_rows o));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER case_stats_months_insert AFTER INSERT ON case_stats REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_stats_months_track();
CREATE TRIGGER case_stats_months_update AFTER UPDATE ON case_stats REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_stats_months_track();
CREATE TRIGGER case_stats_months_delete AFTER DELETE ON case_stats REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION case_stats_months_track();

-- The numbers per town and month recomputed from the cases (the check),
-- and the table replaced by them (after a bulk load).
CREATE FUNCTION case_stats_months_computed() RETURNS SETOF case_stats_months LANGUAGE sql STABLE AS $$
  SELECT town_id, month, sum(registered)::int, sum(not_filed)::int, sum(filed)::int, sum(extended)::int, sum(decided)::int,
         sum(no_penalty)::int, sum(fine_fen)::bigint, sum(paid_fen)::bigint, sum(ended)::int, sum(closed)::int,
         sum(transferred)::int, sum(revoked)::int, sum(handling_days)::bigint, max(handling_days_max)::int, sum(hearings)::int,
         sum(reviews)::int, sum(reviews_returned)::int, sum(reviews_failed)::int, sum(collected_fen)::bigint,
         sum(surcharge_fen)::bigint
  FROM case_stats_computed() GROUP BY 1, 2
$$;

CREATE FUNCTION case_stats_months_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  scope text := current_setting('app.scope', true);
  n bigint;
BEGIN
  PERFORM set_config('app.scope', 'county_admin', true);
  LOCK TABLE case_stats_months IN ACCESS EXCLUSIVE MODE;
  DELETE FROM case_stats_months;
  INSERT INTO case_stats_months SELECT town_id, month, sum(registered), sum(not_filed), sum(filed), sum(extended),
         sum(decided), sum(no_penalty), sum(fine_fen), sum(paid_fen), sum(ended), sum(closed), sum(transferred), sum(revoked),
         sum(handling_days), max(handling_days_max), sum(hearings), sum(reviews), sum(reviews_returned), sum(reviews_failed),
         sum(collected_fen), sum(surcharge_fen)
    FROM case_stats GROUP BY 1, 2 ORDER BY 1, 2;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('app.scope', coalesce(scope, ''), true);
  RETURN n;
END $$;
REVOKE ALL ON FUNCTION case_stats_months_rebuild() FROM PUBLIC;
SELECT case_stats_months_rebuild();

-- Tenancy as case_stats: a town reads its own rows, the county every
-- town's; only the triggers write, for whoever changes a case.
ALTER TABLE case_stats_months ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_stats_months FORCE ROW LEVEL SECURITY;
CREATE POLICY case_stats_months_read ON case_stats_months FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]));
CREATE POLICY case_stats_months_insert ON case_stats_months FOR INSERT
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read');
CREATE POLICY case_stats_months_update ON case_stats_months FOR UPDATE
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read')
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read');
GRANT SELECT ON case_stats_months TO zhifa_app;
