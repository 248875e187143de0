-- Correction tasks (整改/纠错任务): the three-level correction loop
-- (三级纠错). A task is opened against a town by the county (a filing
-- review that orders a correction, a dossier evaluation's findings) or by
-- the record itself (a reconsideration or lawsuit that corrected the
-- decision). The town answers what it did; the county closes the task or
-- sends it back. Tasks are never deleted; each answer and decision is a
-- frozen row of correction_events, and the task's status is updated with
-- it in the same transaction.
CREATE TABLE corrections (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  town_id     bigint NOT NULL REFERENCES towns (id),
  case_id     bigint REFERENCES cases (id),
  source      text   NOT NULL CHECK (source IN ('filing', 'evaluation', 'remedy')),
  source_id   bigint NOT NULL,          -- the filing, the evaluated dossier or the remedy
  title       text   NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  detail      text   NOT NULL DEFAULT '',
  due_on      date   NOT NULL,
  status      text   NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
  opened_by   bigint REFERENCES users (id), -- NULL: opened by the record (a remedy outcome)
  opened_at   timestamptz NOT NULL DEFAULT now(),
  closed_on   date,
  UNIQUE (source, source_id, title)
);
CREATE INDEX corrections_town_idx ON corrections (town_id, status, due_on);
CREATE INDEX corrections_case_idx ON corrections (case_id);

CREATE TABLE correction_events (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  correction_id bigint NOT NULL REFERENCES corrections (id),
  town_id       bigint NOT NULL REFERENCES towns (id),
  kind          text   NOT NULL CHECK (kind IN ('answer', 'close', 'return')),
  answer_kind   text   NOT NULL DEFAULT '' CHECK (answer_kind IN ('', 'new_decision', 'withdrawal', 'explanation')),
  text          text   NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  on_date       date   NOT NULL,
  actor_id      bigint NOT NULL REFERENCES users (id),
  actor_name    text   NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'answer') = (answer_kind <> ''))
);
CREATE INDEX correction_events_task_idx ON correction_events (correction_id, id);
CREATE TRIGGER correction_events_frozen BEFORE UPDATE OR DELETE ON correction_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

ALTER TABLE corrections ENABLE ROW LEVEL SECURITY;
ALTER TABLE corrections FORCE ROW LEVEL SECURITY;
ALTER TABLE correction_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE correction_events FORCE ROW LEVEL SECURITY;
-- A town reads its own tasks; the county reads every town's.
CREATE POLICY corrections_read ON corrections FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]));
CREATE POLICY correction_events_read ON correction_events FOR SELECT USING (town_id = ANY ((SELECT app_read_towns())::bigint[]));
-- The county opens tasks and closes or returns them; the town's own
-- transaction opens one when its record calls for it (a remedy outcome).
CREATE POLICY corrections_insert ON corrections FOR INSERT
  WITH CHECK (app_scope() = 'county_read' OR town_id = ANY ((SELECT app_write_towns())::bigint[]));
-- Status moves: the town answers its own; the county closes or returns.
CREATE POLICY corrections_update ON corrections FOR UPDATE
  USING (app_scope() = 'county_read' OR town_id = ANY ((SELECT app_write_towns())::bigint[]))
  WITH CHECK (app_scope() = 'county_read' OR town_id = ANY ((SELECT app_write_towns())::bigint[]));
CREATE POLICY correction_events_insert ON correction_events FOR INSERT
  WITH CHECK ((app_scope() = 'county_read' AND kind IN ('close', 'return'))
           OR (kind = 'answer' AND town_id = ANY ((SELECT app_write_towns())::bigint[])));
GRANT SELECT, INSERT, UPDATE ON corrections TO zhifa_app;
GRANT SELECT, INSERT ON correction_events TO zhifa_app;
