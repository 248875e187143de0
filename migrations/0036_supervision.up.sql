-- Citizen enforcement supervisors (执法监督员, issue 13). The county
-- appoints a supervisor for one town and a term and gives them a login
-- with the role 'supervisor'. Their transactions run in the tenancy scope
-- 'supervisor' with app.town_id their town: app_read_towns() and
-- app_write_towns() give them no town at all, so no policy that tests the
-- town lets them read a case, its evidence, documents or any other case
-- table. What their pages need is granted here, table by table, through
-- app_supervised_towns(): their own appointment, the opinions they filed
-- and the answers, and the town's summary figures (the statistics).

-- A supervisor is a town role: it carries its town.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('officer', 'leader', 'head', 'town_reviewer', 'county_reviewer', 'county_admin', 'supervisor'));

-- The towns a transaction reads and writes (0029), with the supervisor's
-- scope named: it reads and writes no town's rows.
CREATE OR REPLACE FUNCTION app_read_towns() RETURNS bigint[] LANGUAGE plpgsql STABLE AS $$
DECLARE
  scope text := coalesce(current_setting('app.scope', true), '');
  town bigint := nullif(current_setting('app.town_id', true), '')::bigint;
BEGIN
  IF scope IN ('county_read', 'county_admin') THEN
    RETURN (SELECT coalesce(array_agg(id), '{}') FROM towns);
  ELSIF scope = 'town' AND town IS NOT NULL THEN
    RETURN ARRAY[town];
  END IF;
  RETURN '{}'::bigint[]; -- '' and 'supervisor'
END $$;

CREATE OR REPLACE FUNCTION app_write_towns() RETURNS bigint[] LANGUAGE plpgsql STABLE AS $$
DECLARE
  scope text := coalesce(current_setting('app.scope', true), '');
  town bigint := nullif(current_setting('app.town_id', true), '')::bigint;
BEGIN
  IF scope = 'county_admin' THEN
    RETURN (SELECT coalesce(array_agg(id), '{}') FROM towns);
  ELSIF scope = 'town' AND town IS NOT NULL THEN
    RETURN ARRAY[town];
  END IF;
  RETURN '{}'::bigint[]; -- '', 'county_read' and 'supervisor'
END $$;

-- The town a supervisor's transaction oversees ({} in any other scope):
-- only the policies below call it.
CREATE FUNCTION app_supervised_towns() RETURNS bigint[] LANGUAGE plpgsql STABLE AS $$
DECLARE
  town bigint := nullif(current_setting('app.town_id', true), '')::bigint;
BEGIN
  IF coalesce(current_setting('app.scope', true), '') = 'supervisor' AND town IS NOT NULL THEN
    RETURN ARRAY[town];
  END IF;
  RETURN '{}'::bigint[];
END $$;
GRANT EXECUTE ON FUNCTION app_supervised_towns() TO zhifa_app;

-- The statistics of the supervisor's town: the summary rows only (counts
-- and sums per month, item, source and procedure; no party, no case).
CREATE POLICY case_stats_supervisor_read ON case_stats FOR SELECT
  USING (town_id = ANY ((SELECT app_supervised_towns())::bigint[]));
CREATE POLICY case_due_counts_supervisor_read ON case_due_counts FOR SELECT
  USING (town_id = ANY ((SELECT app_supervised_towns())::bigint[]));
CREATE POLICY case_remedy_stats_supervisor_read ON case_remedy_stats FOR SELECT
  USING (town_id = ANY ((SELECT app_supervised_towns())::bigint[]));
CREATE POLICY case_stats_months_supervisor_read ON case_stats_months FOR SELECT
  USING (town_id = ANY ((SELECT app_supervised_towns())::bigint[]));

-- The appointment (聘任): the town and the term. The supervisor's name and
-- phone are their user row's; the login works only within the term.
CREATE TABLE supervisors (
  user_id      bigint PRIMARY KEY REFERENCES users (id),
  town_id      bigint NOT NULL REFERENCES towns (id),
  affiliation  text   NOT NULL DEFAULT '' CHECK (length(affiliation) <= 100), -- 人大代表、政协委员、村（居）民代表…
  term_from    date   NOT NULL,
  term_until   date   NOT NULL,
  appointed_by bigint NOT NULL REFERENCES users (id),
  appointed_at timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (term_until >= term_from)
);
CREATE INDEX supervisors_town_idx ON supervisors (town_id, term_until);

-- An appointment is of a supervisor account of the same town.
CREATE FUNCTION supervisors_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT FROM users WHERE id = NEW.user_id AND town_id = NEW.town_id AND role = 'supervisor') THEN
    RAISE EXCEPTION 'appointment does not match a supervisor of its town' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER supervisors_check BEFORE INSERT OR UPDATE ON supervisors
  FOR EACH ROW EXECUTE FUNCTION supervisors_check();

-- Supervision opinions (监督意见): on a case, named by its number or its
-- decision's number as published, or on the town's work. Each goes to the
-- town (its 队长 and 镇负责人) and the county, and is answered by due_on.
CREATE TABLE supervision_opinions (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  town_id         bigint NOT NULL REFERENCES towns (id),
  supervisor_id   bigint NOT NULL REFERENCES users (id),
  supervisor_name text   NOT NULL CHECK (length(supervisor_name) BETWEEN 1 AND 40),
  subject         text   NOT NULL CHECK (subject IN ('case', 'work')),
  case_ref        text   NOT NULL DEFAULT '' CHECK (length(case_ref) <= 60),
  text            text   NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  filed_on        date   NOT NULL,
  due_on          date   NOT NULL,
  filed_at        timestamptz NOT NULL DEFAULT now(),
  CHECK ((subject = 'case') = (case_ref <> '')),
  CHECK (due_on >= filed_on),
  UNIQUE (id, town_id)
);
CREATE INDEX supervision_opinions_town_idx ON supervision_opinions (town_id, due_on);
CREATE INDEX supervision_opinions_supervisor_idx ON supervision_opinions (supervisor_id, id);

-- The answer (答复): one per opinion, by the town's leader or head or the
-- county, with who and when.
CREATE TABLE supervision_responses (
  opinion_id     bigint PRIMARY KEY,
  town_id        bigint NOT NULL REFERENCES towns (id),
  responder_id   bigint NOT NULL REFERENCES users (id),
  responder_name text   NOT NULL CHECK (length(responder_name) BETWEEN 1 AND 40),
  responder_role text   NOT NULL CHECK (responder_role IN ('leader', 'head', 'county_reviewer', 'county_admin')),
  text           text   NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  responded_on   date   NOT NULL,
  responded_at   timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (opinion_id, town_id) REFERENCES supervision_opinions (id, town_id)
);
CREATE INDEX supervision_responses_town_idx ON supervision_responses (town_id);

-- Opinions and answers are records: they never change.
CREATE TRIGGER supervision_opinions_frozen BEFORE UPDATE OR DELETE ON supervision_opinions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER supervision_responses_frozen BEFORE UPDATE OR DELETE ON supervision_responses
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

ALTER TABLE supervisors ENABLE ROW LEVEL SECURITY;
ALTER TABLE supervisors FORCE ROW LEVEL SECURITY;
ALTER TABLE supervision_opinions ENABLE ROW LEVEL SECURITY;
ALTER TABLE supervision_opinions FORCE ROW LEVEL SECURITY;
ALTER TABLE supervision_responses ENABLE ROW LEVEL SECURITY;
ALTER TABLE supervision_responses FORCE ROW LEVEL SECURITY;

-- The town and the county read the town's supervisors; a supervisor reads
-- their own appointment (at login too, with only app.user_id set). Only
-- the county administrator appoints and renews.
CREATE POLICY supervisors_read ON supervisors FOR SELECT
  USING (town_id = ANY ((SELECT app_read_towns())::bigint[]) OR user_id = app_user_id());
CREATE POLICY supervisors_write ON supervisors FOR ALL
  USING (app_scope() = 'county_admin') WITH CHECK (app_scope() = 'county_admin');

-- The town and the county read the town's opinions; a supervisor their own.
CREATE POLICY supervision_opinions_read ON supervision_opinions FOR SELECT
  USING (town_id = ANY ((SELECT app_read_towns())::bigint[])
         OR (supervisor_id = app_user_id() AND town_id = ANY ((SELECT app_supervised_towns())::bigint[])));
-- Only a supervisor files one, in their own name and town.
CREATE POLICY supervision_opinions_insert ON supervision_opinions FOR INSERT
  WITH CHECK (supervisor_id = app_user_id() AND town_id = ANY ((SELECT app_supervised_towns())::bigint[]));
CREATE POLICY supervision_responses_read ON supervision_responses FOR SELECT
  USING (town_id = ANY ((SELECT app_read_towns())::bigint[])
         OR (town_id = ANY ((SELECT app_supervised_towns())::bigint[])
             AND opinion_id IN (SELECT id FROM supervision_opinions WHERE supervisor_id = app_user_id())));
-- The town answers its own; the county (both county roles) any town's.
CREATE POLICY supervision_responses_insert ON supervision_responses FOR INSERT
  WITH CHECK (responder_id = app_user_id()
              AND (town_id = ANY ((SELECT app_write_towns())::bigint[]) OR app_scope() = 'county_read'));
GRANT SELECT, INSERT, UPDATE ON supervisors TO zhifa_app;
GRANT SELECT, INSERT ON supervision_opinions, supervision_responses TO zhifa_app;

-- Whether ref names a case of the supervisor's town, by its case number
-- or the number of one of its documents (the decision's, as published).
-- A supervisor reads no case: this answers yes or no and nothing else, and
-- only in the supervisor's scope for their own town.
CREATE FUNCTION supervision_case_known(ref text) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
DECLARE
  town bigint := (app_supervised_towns())[1];
BEGIN
  IF town IS NULL OR ref IS NULL OR ref = '' THEN
    RETURN false;
  END IF;
  RETURN EXISTS (SELECT FROM cases WHERE town_id = town AND number = ref)
      OR EXISTS (SELECT FROM documents WHERE town_id = town AND number = ref);
END $$;
REVOKE ALL ON FUNCTION supervision_case_known(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION supervision_case_known(text) TO zhifa_app;
