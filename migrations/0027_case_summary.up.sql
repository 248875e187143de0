-- 1. The menu's counts (cases.NavCounts, on every page) and the home
--    page's queues read partial indexes whose predicates are, word for
--    word, the queues' conditions on the case row (internal/cases/todo.go:
--    sqlDecisionPhase, sqlApprovalAsked, sqlReviewQueue, and the extend and
--    overdue queues), so a count reads the few entries of the cases in the
--    queue, not every case of the town in some state. Changing a condition
--    there means changing its index here (TestNavCountsUsePartialIndexes).
CREATE INDEX cases_decision_phase_idx ON cases (town_id)
  WHERE state IN ('notice', 'hearing', 'deciding', 'discussion') AND suspended_since IS NULL AND procedure = 'general'
    AND (state = 'discussion' OR reviewed_by IS NOT NULL);
CREATE INDEX cases_extend_idx ON cases (town_id, next_due_on)
  WHERE suspended_since IS NULL AND state IN ('filed', 'investigating', 'review', 'notice', 'hearing', 'deciding', 'discussion')
    AND next_due_key = 'decision';
CREATE INDEX cases_overdue_idx ON cases (town_id, next_due_on)
  WHERE state IN ('lead', 'filed', 'investigating', 'review', 'notice', 'hearing', 'deciding', 'discussion', 'decided', 'served', 'executing')
    AND next_due_key NOT IN ('statement', 'hearing_request');
CREATE INDEX cases_approval_asked_idx ON cases (town_id)
  WHERE state IN ('lead', 'filed', 'investigating', 'review', 'notice', 'hearing', 'deciding', 'discussion')
    AND (transfer_proposed_on IS NOT NULL OR chair_recusal_requested_on IS NOT NULL AND chair_recusal_decided_on IS NULL);
CREATE INDEX case_recusals_pending_idx ON case_recusals (case_id) WHERE decided_on IS NULL;
CREATE INDEX case_preservations_emergency_idx ON case_preservations (case_id) WHERE emergency AND reported_on IS NULL;
CREATE INDEX cases_review_queue_idx ON cases (town_id) WHERE state = 'review' AND review_submitted_on IS NOT NULL;

-- 2. Summary data (issue 12 item 3, read by the statistics of issue 13): the
-- cases' numbers per town, month, item, source and procedure, kept current
-- by triggers in the same transaction as each change to a case, a payment or
-- a legal review, so that dashboards read a few thousand small rows instead
-- of scanning the cases. case_stats_computed() recomputes the same numbers
-- from the cases (the consistency check), case_stats_rebuild() replaces the
-- table with them (after a bulk load with the triggers off).

CREATE TABLE case_stats (
  town_id   bigint NOT NULL REFERENCES towns (id),
  -- The first day of the month the numbers of this row happened in: each
  -- case counts in the month of each of its events (registered, filed,
  -- decided, ended, hearing held), each payment and each review in its own.
  month     date   NOT NULL CHECK (month = date_trunc('month', month::timestamp)::date),
  item_id   bigint NOT NULL REFERENCES catalogue_items (id), -- the domain is the item's
  source    text   NOT NULL CHECK (length(source) <= 20),
  procedure text   NOT NULL CHECK (length(procedure) <= 20),
  registered        int    NOT NULL DEFAULT 0, -- leads registered (created), filed or not
  not_filed         int    NOT NULL DEFAULT 0, -- leads ended not filed (不予立案), by the day it ended
  filed             int    NOT NULL DEFAULT 0, -- cases filed (立案)
  extended          int    NOT NULL DEFAULT 0, -- of the cases filed, those whose handling period was extended
  decided           int    NOT NULL DEFAULT 0, -- decisions made: penalties and 不予处罚
  no_penalty        int    NOT NULL DEFAULT 0, -- of the decisions, 不予处罚
  fine_fen          bigint NOT NULL DEFAULT 0, -- fines decided
  paid_fen          bigint NOT NULL DEFAULT 0, -- paid so far (net of reversals) on the fines decided in the month
  ended             int    NOT NULL DEFAULT 0, -- filed cases that ended (closed, no penalty, revoked, transferred)
  closed            int    NOT NULL DEFAULT 0, -- of those, closed (结案, archived or not)
  transferred       int    NOT NULL DEFAULT 0, -- cases or leads transferred (移送)
  revoked           int    NOT NULL DEFAULT 0, -- filings revoked (撤销立案)
  handling_days     bigint NOT NULL DEFAULT 0, -- sum over the ended cases of closed_on - filed_on
  handling_days_max int    NOT NULL DEFAULT 0, -- the longest of them
  hearings          int    NOT NULL DEFAULT 0, -- hearings held
  reviews           int    NOT NULL DEFAULT 0, -- legal reviews recorded
  reviews_returned  int    NOT NULL DEFAULT 0, -- of which returned for further investigation
  reviews_failed    int    NOT NULL DEFAULT 0, -- of which not passed
  collected_fen     bigint NOT NULL DEFAULT 0, -- fines paid in the month, net of reversals made in the month
  surcharge_fen     bigint NOT NULL DEFAULT 0, -- late-payment surcharges paid in the month
  -- Keyed by town first: a change in one town never waits on another's rows.
  PRIMARY KEY (town_id, month, item_id, source, procedure)
);

-- The outcome a state counts as (closed and archived are both 结案).
CREATE FUNCTION case_stats_outcome(state text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN state IN ('closed', 'archived') THEN 'closed'
              WHEN state IN ('no_penalty', 'transferred', 'revoked', 'not_filed') THEN state
              ELSE '' END
$$;

-- What one case adds to case_stats, in two parts (case_stats_add sums rows
-- of one key): its own events, one row per event in the event's month
-- (registered, filed, decided, ended, hearing held), computed from the row
-- alone; and its payments and reviews, which count under the case's town,
-- item, source and procedure (and paid amounts under its decision's month),
-- so move only when those change. The triggers add NEW's and subtract
-- OLD's; case_stats_computed() states the same numbers set-wise,
-- independently, as the consistency check.
CREATE FUNCTION case_stats_events(c cases) RETURNS case_stats[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  r case_stats[];
  days int := c.closed_on - c.filed_on;
BEGIN
  r := ARRAY[(c.town_id, date_trunc('month', c.created_at AT TIME ZONE 'Asia/Shanghai')::date, c.item_id, c.source, c.procedure,
              1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)::case_stats];
  IF c.filed_on IS NOT NULL THEN
    r := r || (c.town_id, date_trunc('month', c.filed_on::timestamp)::date, c.item_id, c.source, c.procedure,
               0, 0, 1, (c.extensions > 0)::int, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)::case_stats;
  END IF;
  IF c.decided_on IS NOT NULL THEN
    r := r || (c.town_id, date_trunc('month', c.decided_on::timestamp)::date, c.item_id, c.source, c.procedure,
               0, 0, 0, 0, 1, (c.state = 'no_penalty')::int, c.fine_fen, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)::case_stats;
  END IF;
  IF c.closed_on IS NOT NULL THEN
    r := r || (c.town_id, date_trunc('month', c.closed_on::timestamp)::date, c.item_id, c.source, c.procedure,
               0, (case_stats_outcome(c.state) = 'not_filed')::int, 0, 0, 0, 0, 0, 0, (c.filed_on IS NOT NULL)::int,
               (case_stats_outcome(c.state) = 'closed')::int, (case_stats_outcome(c.state) = 'transferred')::int,
               (case_stats_outcome(c.state) = 'revoked')::int, coalesce(days, 0), coalesce(days, 0), 0, 0, 0, 0, 0, 0)::case_stats;
  END IF;
  IF c.hearing_held_on IS NOT NULL THEN
    r := r || (c.town_id, date_trunc('month', c.hearing_held_on::timestamp)::date, c.item_id, c.source, c.procedure,
               0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0)::case_stats;
  END IF;
  RETURN r;
END $$;

CREATE FUNCTION case_stats_money(c cases) RETURNS case_stats[] LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN ARRAY(
    SELECT (c.town_id, date_trunc('month', c.decided_on::timestamp)::date, c.item_id, c.source, c.procedure,
            0, 0, 0, 0, 0, 0, 0, sum(p.amount_fen), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)::case_stats
    FROM case_payments p WHERE p.case_id = c.id AND c.decided_on IS NOT NULL HAVING count(*) > 0
    UNION ALL
    SELECT (c.town_id, date_trunc('month', p.paid_on::timestamp)::date, c.item_id, c.source, c.procedure,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sum(p.amount_fen), sum(p.surcharge_fen))::case_stats
    FROM case_payments p WHERE p.case_id = c.id GROUP BY date_trunc('month', p.paid_on::timestamp)
    UNION ALL
    SELECT (c.town_id, date_trunc('month', r.reviewed_on::timestamp)::date, c.item_id, c.source, c.procedure,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), count(*) FILTER (WHERE r.outcome = 'returned'),
            count(*) FILTER (WHERE r.outcome = 'failed'), 0, 0)::case_stats
    FROM case_reviews r WHERE r.case_id = c.id GROUP BY date_trunc('month', r.reviewed_on::timestamp));
END $$;

-- One row of a payment's or a review's deltas, zero elsewhere.
CREATE FUNCTION case_stats_delta(c cases, month date, paid_fen bigint DEFAULT 0, collected_fen bigint DEFAULT 0,
  surcharge_fen bigint DEFAULT 0, reviews int DEFAULT 0, reviews_returned int DEFAULT 0, reviews_failed int DEFAULT 0)
RETURNS case_stats LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN (c.town_id, month, c.item_id, c.source, c.procedure, 0, 0, 0, 0, 0, 0, 0, paid_fen, 0, 0, 0, 0, 0, 0, 0,
          reviews, reviews_returned, reviews_failed, collected_fen, surcharge_fen)::case_stats;
END $$;

-- Adds plus and subtracts minus: summed per key, keys with nothing to add
-- left alone, in key order, so that two transactions of one town lock the
-- rows they share in the same order. A longest handling time is raised
-- here and lowered by case_stats_track when a case leaves its row.
CREATE FUNCTION case_stats_add(plus case_stats[], minus case_stats[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO case_stats AS s
  SELECT d.town_id, d.month, d.item_id, d.source, d.procedure, sum(d.registered), sum(d.not_filed), sum(d.filed),
         sum(d.extended), sum(d.decided), sum(d.no_penalty), sum(d.fine_fen), sum(d.paid_fen), sum(d.ended), sum(d.closed),
         sum(d.transferred), sum(d.revoked), sum(d.handling_days), max(d.handling_days_max), sum(d.hearings),
         sum(d.reviews), sum(d.reviews_returned), sum(d.reviews_failed), sum(d.collected_fen), sum(d.surcharge_fen)
  FROM (
    SELECT * FROM unnest(plus)
    UNION ALL
    SELECT m.town_id, m.month, m.item_id, m.source, m.procedure, -m.registered, -m.not_filed, -m.filed, -m.extended,
           -m.decided, -m.no_penalty, -m.fine_fen, -m.paid_fen, -m.ended, -m.closed, -m.transferred, -m.revoked,
           -m.handling_days, 0, -m.hearings, -m.reviews, -m.reviews_returned, -m.reviews_failed, -m.collected_fen,
           -m.surcharge_fen
    FROM unnest(minus) m
  ) d
  GROUP BY 1, 2, 3, 4, 5
  HAVING sum(d.registered) <> 0 OR sum(d.not_filed) <> 0 OR sum(d.filed) <> 0 OR sum(d.extended) <> 0 OR sum(d.decided) <> 0
      OR sum(d.no_penalty) <> 0 OR sum(d.fine_fen) <> 0 OR sum(d.paid_fen) <> 0 OR sum(d.ended) <> 0 OR sum(d.closed) <> 0
      OR sum(d.transferred) <> 0 OR sum(d.revoked) <> 0 OR sum(d.handling_days) <> 0 OR sum(d.hearings) <> 0
      OR sum(d.reviews) <> 0 OR sum(d.reviews_returned) <> 0 OR sum(d.reviews_failed) <> 0 OR sum(d.collected_fen) <> 0
      OR sum(d.surcharge_fen) <> 0
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (town_id, month, item_id, source, procedure) DO UPDATE SET
    registered = s.registered + EXCLUDED.registered, not_filed = s.not_filed + EXCLUDED.not_filed,
    filed = s.filed + EXCLUDED.filed, extended = s.extended + EXCLUDED.extended, decided = s.decided + EXCLUDED.decided,
    no_penalty = s.no_penalty + EXCLUDED.no_penalty, fine_fen = s.fine_fen + EXCLUDED.fine_fen,
    paid_fen = s.paid_fen + EXCLUDED.paid_fen, ended = s.ended + EXCLUDED.ended, closed = s.closed + EXCLUDED.closed,
    transferred = s.transferred + EXCLUDED.transferred, revoked = s.revoked + EXCLUDED.revoked,
    handling_days = s.handling_days + EXCLUDED.handling_days,
    handling_days_max = greatest(s.handling_days_max, EXCLUDED.handling_days_max),
    hearings = s.hearings + EXCLUDED.hearings, reviews = s.reviews + EXCLUDED.reviews,
    reviews_returned = s.reviews_returned + EXCLUDED.reviews_returned, reviews_failed = s.reviews_failed + EXCLUDED.reviews_failed,
    collected_fen = s.collected_fen + EXCLUDED.collected_fen, surcharge_fen = s.surcharge_fen + EXCLUDED.surcharge_fen;
END $$;

-- A case inserted, changed where the numbers look, or deleted. The
-- triggers run as the owner (SECURITY DEFINER): the app role may only read
-- case_stats, and the county reviewer changes a town's case when it records
-- a review.
CREATE FUNCTION case_stats_track() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  plus  case_stats[] := '{}';
  minus case_stats[] := '{}';
BEGIN
  IF TG_OP <> 'DELETE' THEN
    plus := case_stats_events(NEW);
  END IF;
  IF TG_OP <> 'INSERT' THEN
    minus := case_stats_events(OLD);
  END IF;
  -- A new case has no payments or reviews yet.
  IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' AND (OLD.town_id, OLD.item_id, OLD.source, OLD.procedure, OLD.decided_on)
                                              IS DISTINCT FROM (NEW.town_id, NEW.item_id, NEW.source, NEW.procedure, NEW.decided_on) THEN
    minus := minus || case_stats_money(OLD);
    IF TG_OP = 'UPDATE' THEN
      plus := plus || case_stats_money(NEW);
    END IF;
  END IF;
  PERFORM case_stats_add(plus, minus);
  -- The case left its row of ended cases (which never happens once a case
  -- has ended, but the numbers must stay right if it does): that row's
  -- longest handling time is recounted.
  IF TG_OP <> 'INSERT' AND OLD.closed_on IS NOT NULL AND OLD.filed_on IS NOT NULL
     AND (TG_OP = 'DELETE' OR (OLD.town_id, OLD.item_id, OLD.source, OLD.procedure, date_trunc('month', OLD.closed_on::timestamp), OLD.closed_on - OLD.filed_on)
          IS DISTINCT FROM (NEW.town_id, NEW.item_id, NEW.source, NEW.procedure, date_trunc('month', NEW.closed_on::timestamp), NEW.closed_on - NEW.filed_on)) THEN
    UPDATE case_stats s SET handling_days_max = coalesce((SELECT max(c.closed_on - c.filed_on) FROM cases c
        WHERE c.town_id = s.town_id AND c.item_id = s.item_id AND c.source = s.source AND c.procedure = s.procedure
          AND c.filed_on IS NOT NULL AND c.closed_on >= s.month AND c.closed_on < s.month + interval '1 month'), 0)
    WHERE s.town_id = OLD.town_id AND s.month = date_trunc('month', OLD.closed_on::timestamp)::date AND s.item_id = OLD.item_id
      AND s.source = OLD.source AND s.procedure = OLD.procedure;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER cases_stats_insert AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION case_stats_track();
-- Only a change to what case_stats_events and case_stats_money read fires it (not a deadline
-- refresh, an edit of the facts, or a step between open states).
CREATE TRIGGER cases_stats_update AFTER UPDATE ON cases FOR EACH ROW
  WHEN ((OLD.town_id, OLD.item_id, OLD.source, OLD.procedure, OLD.created_at, OLD.filed_on, OLD.extensions > 0, OLD.decided_on,
         OLD.state = 'no_penalty', OLD.fine_fen, OLD.closed_on, case_stats_outcome(OLD.state), OLD.hearing_held_on)
        IS DISTINCT FROM
        (NEW.town_id, NEW.item_id, NEW.source, NEW.procedure, NEW.created_at, NEW.filed_on, NEW.extensions > 0, NEW.decided_on,
         NEW.state = 'no_penalty', NEW.fine_fen, NEW.closed_on, case_stats_outcome(NEW.state), NEW.hearing_held_on))
  EXECUTE FUNCTION case_stats_track();
CREATE TRIGGER cases_stats_delete AFTER DELETE ON cases FOR EACH ROW EXECUTE FUNCTION case_stats_track();

-- A payment (or its reversal, a negative amount): collected in its month,
-- and paid on the fine of the case's decision month. The case row is
-- locked first, so a concurrent change of the case cannot count the
-- payment under the case's old row (every action locks the case anyway).
CREATE FUNCTION case_payments_stats_track() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  c cases;
BEGIN
  SELECT * INTO STRICT c FROM cases WHERE id = NEW.case_id FOR NO KEY UPDATE;
  PERFORM case_stats_add(ARRAY[case_stats_delta(c, date_trunc('month', NEW.paid_on::timestamp)::date,
                                                collected_fen => NEW.amount_fen, surcharge_fen => NEW.surcharge_fen)]
                         || CASE WHEN c.decided_on IS NULL THEN '{}'::case_stats[]
                                 ELSE ARRAY[case_stats_delta(c, date_trunc('month', c.decided_on::timestamp)::date, paid_fen => NEW.amount_fen)] END,
                         '{}');
  RETURN NULL;
END $$;
-- Payments are append-only (case_payments_hand_in: only the hand-in date
-- of cash may change, which no number reads).
CREATE TRIGGER case_payments_stats AFTER INSERT ON case_payments FOR EACH ROW EXECUTE FUNCTION case_payments_stats_track();

-- A legal review recorded (append-only), by the town or the county.
CREATE FUNCTION case_reviews_stats_track() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
  c cases;
BEGIN
  SELECT * INTO STRICT c FROM cases WHERE id = NEW.case_id FOR NO KEY UPDATE;
  PERFORM case_stats_add(ARRAY[case_stats_delta(c, date_trunc('month', NEW.reviewed_on::timestamp)::date, reviews => 1,
                                                reviews_returned => (NEW.outcome = 'returned')::int,
                                                reviews_failed => (NEW.outcome = 'failed')::int)], '{}');
  RETURN NULL;
END $$;
CREATE TRIGGER case_reviews_stats AFTER INSERT ON case_reviews FOR EACH ROW EXECUTE FUNCTION case_reviews_stats_track();

-- The numbers recomputed from the cases the caller may read, set-wise (the
-- same definitions as case_stats_events and case_stats_money, stated
-- independently).
CREATE FUNCTION case_stats_computed() RETURNS SETOF case_stats LANGUAGE sql STABLE AS $$
  WITH paid AS (SELECT case_id, sum(amount_fen) AS fen FROM case_payments GROUP BY case_id),
  e AS (
    SELECT town_id, date_trunc('month', created_at AT TIME ZONE 'Asia/Shanghai')::date AS month, item_id, source, procedure,
           1 AS registered, 0 AS not_filed, 0 AS filed, 0 AS extended, 0 AS decided, 0 AS no_penalty, 0::bigint AS fine_fen,
           0::bigint AS paid_fen, 0 AS ended, 0 AS closed, 0 AS transferred, 0 AS revoked, 0 AS handling_days, 0 AS hearings,
           0 AS reviews, 0 AS reviews_returned, 0 AS reviews_failed, 0::bigint AS collected_fen, 0::bigint AS surcharge_fen
    FROM cases
    UNION ALL
    SELECT town_id, date_trunc('month', filed_on::timestamp)::date, item_id, source, procedure, 0, 0, 1, (extensions > 0)::int, 0, 0, 0, 0,
           0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM cases WHERE filed_on IS NOT NULL
    UNION ALL
    SELECT c.town_id, date_trunc('month', c.decided_on::timestamp)::date, c.item_id, c.source, c.procedure, 0, 0, 0, 0, 1,
           (c.state = 'no_penalty')::int, c.fine_fen, coalesce(p.fen, 0), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM cases c LEFT JOIN paid p ON p.case_id = c.id WHERE c.decided_on IS NOT NULL
    UNION ALL
    SELECT town_id, date_trunc('month', closed_on::timestamp)::date, item_id, source, procedure, 0, (state = 'not_filed')::int, 0, 0, 0, 0,
           0, 0, (filed_on IS NOT NULL)::int, (state IN ('closed', 'archived'))::int, (state = 'transferred')::int,
           (state = 'revoked')::int, coalesce(closed_on - filed_on, 0), 0, 0, 0, 0, 0, 0
    FROM cases WHERE closed_on IS NOT NULL
    UNION ALL
    SELECT town_id, date_trunc('month', hearing_held_on::timestamp)::date, item_id, source, procedure, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           1, 0, 0, 0, 0, 0
    FROM cases WHERE hearing_held_on IS NOT NULL
    UNION ALL
    SELECT c.town_id, date_trunc('month', p.paid_on::timestamp)::date, c.item_id, c.source, c.procedure, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           0, 0, 0, 0, p.amount_fen, p.surcharge_fen
    FROM case_payments p JOIN cases c ON c.id = p.case_id
    UNION ALL
    SELECT c.town_id, date_trunc('month', r.reviewed_on::timestamp)::date, c.item_id, c.source, c.procedure, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
           0, 0, 0, 1, (r.outcome = 'returned')::int, (r.outcome = 'failed')::int, 0, 0
    FROM case_reviews r JOIN cases c ON c.id = r.case_id
  )
  SELECT town_id, month, item_id, source, procedure, sum(registered)::int, sum(not_filed)::int, sum(filed)::int,
         sum(extended)::int, sum(decided)::int, sum(no_penalty)::int, sum(fine_fen)::bigint, sum(paid_fen)::bigint,
         sum(ended)::int, sum(closed)::int, sum(transferred)::int, sum(revoked)::int, sum(handling_days)::bigint,
         max(handling_days)::int, sum(hearings)::int, sum(reviews)::int, sum(reviews_returned)::int, sum(reviews_failed)::int,
         sum(collected_fen)::bigint, sum(surcharge_fen)::bigint
  FROM e GROUP BY 1, 2, 3, 4, 5
$$;

-- Replaces case_stats with the numbers recomputed from every case: after a
-- bulk load with the triggers off, or to repair. The owner's alone; it
-- reads every town whatever the session's tenancy (as the county
-- administrator, for the owner that does not bypass row-level security).
CREATE FUNCTION case_stats_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  scope text := current_setting('app.scope', true);
  n bigint;
BEGIN
  PERFORM set_config('app.scope', 'county_admin', true);
  LOCK TABLE case_stats IN ACCESS EXCLUSIVE MODE;
  DELETE FROM case_stats;
  INSERT INTO case_stats SELECT * FROM case_stats_computed();
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('app.scope', coalesce(scope, ''), true);
  RETURN n;
END $$;
REVOKE ALL ON FUNCTION case_stats_rebuild() FROM PUBLIC;
REVOKE ALL ON FUNCTION case_stats_add(case_stats[], case_stats[]) FROM PUBLIC;
SELECT case_stats_rebuild();

-- Tenancy: a town reads its own rows, the county every town's. Only the
-- triggers write, as the owner, for whoever may change the case: its town,
-- or the county reviewer recording a review.
ALTER TABLE case_stats ENABLE ROW LEVEL SECURITY;
ALTER TABLE case_stats FORCE ROW LEVEL SECURITY;
CREATE POLICY case_stats_read ON case_stats FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]));
CREATE POLICY case_stats_insert ON case_stats FOR INSERT
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read');
CREATE POLICY case_stats_update ON case_stats FOR UPDATE
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read')
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read');
GRANT SELECT ON case_stats TO zhifa_app;
