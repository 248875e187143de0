-- Published penalty decisions (行政处罚决定公示, APL art. 48): a decision
-- with social impact is published on the town's public pages within a set
-- number of working days after it is made, with personal data removed by
-- rule (internal/publication); a decision changed or revoked on
-- reconsideration or in court is withdrawn within three working days.
--
-- Two tables, so that row-level security alone decides what the public
-- reads:
--  * publications: the town's record, private to the town like every case
--    table: what was published (the redacted text as previewed, kept even
--    after a withdrawal), by whom and when, a recorded decision not to
--    publish (不予公开) with its ground, and the withdrawal.
--  * public_decisions: exactly what the public pages show and nothing else,
--    readable by everyone (no tenancy settings at all, like the published
--    item lists). Its text is set to NULL when the publication is withdrawn
--    (by the trigger below, in the withdrawal's own transaction), so the
--    public can read only published, non-withdrawn redacted text.

INSERT INTO procedure_settings (key, value, label, unit, basis) VALUES
  ('publication_working_days', 7, '行政处罚决定公示期限（决定后）', '工作日',
   '行政处罚法第四十八条；实务设定（多地规定自作出决定之日起七个工作日内公示）')
ON CONFLICT (key, domain_id) DO NOTHING;

CREATE TABLE publications (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id           bigint NOT NULL REFERENCES cases (id),
  town_id           bigint NOT NULL REFERENCES towns (id),
  kind              text   NOT NULL CHECK (kind IN ('published', 'exempt')),
  document_id       bigint REFERENCES documents (id), -- the 行政处罚决定书 published
  decided_on        date   NOT NULL,                  -- the decision, as the case had it
  due_on            date   NOT NULL,                  -- the last day to publish, as it stood
  on_date           date   NOT NULL,                  -- published, or the decision not to publish
  actor_id          bigint NOT NULL REFERENCES users (id),
  actor_name        text   NOT NULL CHECK (length(actor_name) <= 200),
  -- 不予公开: the ground (internal/publication Ground) and the explanation.
  ground            text   NOT NULL DEFAULT '' CHECK (ground IN ('', 'no_impact', 'state_secret', 'third_party', 'other_law')),
  reason            text   NOT NULL DEFAULT '' CONSTRAINT publications_reason_max2000 CHECK (length(reason) <= 2000),
  -- The redacted text as published (the preview), and its SHA-256.
  body              text   CHECK (length(body) <= 60000),
  sha256            text   CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  extra_names       text   NOT NULL DEFAULT '' CONSTRAINT publications_extra_names_max1000 CHECK (length(extra_names) <= 1000), -- names the officer added to the rule
  withdrawn_on      date,
  withdrawn_by      bigint REFERENCES users (id),
  withdrawn_by_name text   NOT NULL DEFAULT '' CHECK (length(withdrawn_by_name) <= 200),
  withdraw_reason   text   NOT NULL DEFAULT '' CONSTRAINT publications_withdraw_reason_max2000 CHECK (length(withdraw_reason) <= 2000),
  created_at        timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT publications_id_town_key UNIQUE (id, town_id),
  CONSTRAINT publications_case_town_fkey FOREIGN KEY (case_id, town_id) REFERENCES cases (id, town_id),
  CHECK ((kind = 'published') = (document_id IS NOT NULL AND body IS NOT NULL AND sha256 IS NOT NULL)),
  CHECK ((kind = 'exempt') = (ground <> '' AND reason <> '')),
  CHECK ((withdrawn_on IS NULL) = (withdrawn_by IS NULL)),
  CHECK (withdrawn_on IS NULL OR (kind = 'published' AND withdraw_reason <> '' AND withdrawn_on >= on_date)),
  CHECK (due_on >= decided_on AND on_date >= decided_on)
);
-- A case has at most one standing record (published, or not to be). After
-- a withdrawal the decision may be published again (a text corrected),
-- unless it was itself changed or revoked (the Go rule).
CREATE UNIQUE INDEX publications_live_idx ON publications (case_id) WHERE withdrawn_on IS NULL;
CREATE INDEX publications_town_idx ON publications (town_id, on_date);

CREATE TABLE public_decisions (
  id           bigint PRIMARY KEY,                        -- the publication's id
  town_id      bigint NOT NULL REFERENCES towns (id),
  doc_number   text   NOT NULL CHECK (length(doc_number) <= 100),  -- 决定书文号
  party        text   NOT NULL CHECK (length(party) <= 300),       -- the party, redacted
  item         text   NOT NULL CHECK (length(item) <= 500),        -- 违法行为（执法事项）
  penalty      text   NOT NULL CHECK (length(penalty) <= 2000),    -- 处罚内容, redacted
  authority    text   NOT NULL CHECK (length(authority) <= 200),   -- 处罚机关
  decided_on   date   NOT NULL,
  published_on date   NOT NULL,
  body         text   CHECK (length(body) <= 60000),               -- NULL once withdrawn
  withdrawn_on date,
  CONSTRAINT public_decisions_publication_fkey FOREIGN KEY (id, town_id) REFERENCES publications (id, town_id),
  CHECK ((body IS NULL) = (withdrawn_on IS NOT NULL))
);
CREATE INDEX public_decisions_town_idx ON public_decisions (town_id, published_on DESC, id DESC) WHERE withdrawn_on IS NULL;
CREATE INDEX public_decisions_list_idx ON public_decisions (published_on DESC, id DESC) WHERE withdrawn_on IS NULL;

-- A record is never changed but by its withdrawal, once; never deleted.
CREATE FUNCTION publications_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.withdrawn_on IS NOT NULL OR NEW.withdrawn_on IS NULL
     OR (NEW.id, NEW.case_id, NEW.town_id, NEW.kind, NEW.document_id, NEW.decided_on, NEW.due_on, NEW.on_date, NEW.actor_id,
         NEW.actor_name, NEW.ground, NEW.reason, NEW.body, NEW.sha256, NEW.extra_names, NEW.created_at)
        IS DISTINCT FROM
        (OLD.id, OLD.case_id, OLD.town_id, OLD.kind, OLD.document_id, OLD.decided_on, OLD.due_on, OLD.on_date, OLD.actor_id,
         OLD.actor_name, OLD.ground, OLD.reason, OLD.body, OLD.sha256, OLD.extra_names, OLD.created_at) THEN
    RAISE EXCEPTION 'publications: a record changes only by its withdrawal, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER publications_guard BEFORE UPDATE ON publications FOR EACH ROW EXECUTE FUNCTION publications_guard();
CREATE TRIGGER publications_no_delete BEFORE DELETE ON publications FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- What the public reads is what was recorded as published: the row's text
-- is the standing publication's text.
CREATE FUNCTION public_decisions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.withdrawn_on IS NOT NULL OR NOT EXISTS (SELECT FROM publications p WHERE p.id = NEW.id AND p.town_id = NEW.town_id
         AND p.kind = 'published' AND p.withdrawn_on IS NULL AND p.body = NEW.body AND p.on_date = NEW.published_on) THEN
      RAISE EXCEPTION 'public_decisions: only the text of a standing publication is shown' USING ERRCODE = 'check_violation';
    END IF;
  ELSIF OLD.withdrawn_on IS NOT NULL OR NEW.withdrawn_on IS NULL OR NEW.body IS NOT NULL
     OR (NEW.id, NEW.town_id, NEW.doc_number, NEW.party, NEW.item, NEW.penalty, NEW.authority, NEW.decided_on, NEW.published_on)
        IS DISTINCT FROM
        (OLD.id, OLD.town_id, OLD.doc_number, OLD.party, OLD.item, OLD.penalty, OLD.authority, OLD.decided_on, OLD.published_on) THEN
    RAISE EXCEPTION 'public_decisions: a published decision changes only by its withdrawal, once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER public_decisions_guard BEFORE INSERT OR UPDATE ON public_decisions
  FOR EACH ROW EXECUTE FUNCTION public_decisions_guard();
CREATE TRIGGER public_decisions_no_delete BEFORE DELETE ON public_decisions FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Withdrawing the record withdraws the public text, in the same statement.
CREATE FUNCTION publications_withdraw_public() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE public_decisions SET body = NULL, withdrawn_on = NEW.withdrawn_on WHERE id = NEW.id AND withdrawn_on IS NULL;
  RETURN NULL;
END $$;
CREATE TRIGGER publications_withdraw_public AFTER UPDATE OF withdrawn_on ON publications
  FOR EACH ROW WHEN (OLD.withdrawn_on IS NULL AND NEW.withdrawn_on IS NOT NULL)
  EXECUTE FUNCTION publications_withdraw_public();

ALTER TABLE publications ENABLE ROW LEVEL SECURITY;
ALTER TABLE publications FORCE ROW LEVEL SECURITY;
CREATE POLICY publications_read ON publications FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]));
CREATE POLICY publications_insert ON publications FOR INSERT WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY publications_update ON publications FOR UPDATE
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
GRANT SELECT, INSERT, UPDATE ON publications TO zhifa_app;

-- Everyone reads the public rows, even with no tenancy settings (the
-- public pages); only the town writes its own.
ALTER TABLE public_decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public_decisions FORCE ROW LEVEL SECURITY;
CREATE POLICY public_decisions_read ON public_decisions FOR SELECT USING (true);
CREATE POLICY public_decisions_insert ON public_decisions FOR INSERT WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY public_decisions_update ON public_decisions FOR UPDATE
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[])) WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[]));
GRANT SELECT, INSERT, UPDATE ON public_decisions TO zhifa_app;

-- The county's headline figures of a year for the public home page, summed
-- from case_stats (0027), which is private to each town: the function reads
-- it in the county's read scope, set for the one query and put back at once
-- (a function's own SET clause would need a superuser's grant on the
-- setting), and returns three county-wide sums, nothing per town or case.
CREATE FUNCTION public_year_figures(y int) RETURNS TABLE (filed bigint, closed bigint, fine_fen bigint)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
  scope text := coalesce(current_setting('app.scope', true), '');
BEGIN
  PERFORM set_config('app.scope', 'county_read', true);
  RETURN QUERY
    SELECT coalesce(sum(s.filed), 0)::bigint, coalesce(sum(s.closed), 0)::bigint, coalesce(sum(s.fine_fen), 0)::bigint
    FROM case_stats s WHERE s.month >= make_date(y, 1, 1) AND s.month < make_date(y + 1, 1, 1);
  PERFORM set_config('app.scope', scope, true);
END $$;
REVOKE ALL ON FUNCTION public_year_figures(int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_year_figures(int) TO zhifa_app;
