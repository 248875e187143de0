-- Training records (培训, issue 13): the sessions a town's team or the
-- county holds, and who of the officers attended each. An officer's hours
-- per year are the sum over their attendances.
--
-- A session is held by a town (town_id) or by the county (town_id NULL).
-- A town's session and its attendance are that town's rows. A county
-- session is attended by officers of every town, so its attendance rows do
-- not belong to the session but to each officer's town (town_id, checked
-- against the officer by training_attendance_check): a town reads the
-- county's sessions (their date, topic and trainer are no town's secret)
-- and only its own officers' attendance of them.
CREATE TABLE training_sessions (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  town_id    bigint REFERENCES towns (id), -- NULL: held by the county
  held_on    date   NOT NULL,
  topic      text   NOT NULL CHECK (length(topic) BETWEEN 1 AND 200),
  hours      numeric(4,1) NOT NULL CHECK (hours >= 0.5 AND hours <= 80),
  trainer    text   NOT NULL CHECK (length(trainer) BETWEEN 1 AND 60),
  created_by bigint NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_sessions_town_idx ON training_sessions (town_id, held_on);
CREATE INDEX training_sessions_held_idx ON training_sessions (held_on);

CREATE TABLE training_attendance (
  session_id  bigint NOT NULL REFERENCES training_sessions (id),
  user_id     bigint NOT NULL REFERENCES users (id),
  town_id     bigint NOT NULL REFERENCES towns (id), -- the officer's town
  recorded_by bigint NOT NULL REFERENCES users (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, user_id)
);
CREATE INDEX training_attendance_user_idx ON training_attendance (user_id, session_id);
CREATE INDEX training_attendance_town_idx ON training_attendance (town_id, session_id);

-- An attendance row is of its officer's town, and a town's session is
-- attended by that town's officers only.
CREATE FUNCTION training_attendance_check() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  held bigint;
BEGIN
  IF NOT EXISTS (SELECT FROM users WHERE id = NEW.user_id AND town_id = NEW.town_id) THEN
    RAISE EXCEPTION 'attendance town does not match the officer' USING ERRCODE = 'check_violation';
  END IF;
  SELECT town_id INTO held FROM training_sessions WHERE id = NEW.session_id;
  IF held IS NOT NULL AND held <> NEW.town_id THEN
    RAISE EXCEPTION 'a town''s session is attended by its own officers' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER training_attendance_check BEFORE INSERT OR UPDATE ON training_attendance
  FOR EACH ROW EXECUTE FUNCTION training_attendance_check();

-- A session, once recorded, is a record: it does not change.
CREATE TRIGGER training_sessions_frozen BEFORE UPDATE OR DELETE ON training_sessions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

ALTER TABLE training_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_sessions FORCE ROW LEVEL SECURITY;
ALTER TABLE training_attendance ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_attendance FORCE ROW LEVEL SECURITY;
-- A town reads its own sessions and the county's; the county reads all.
-- A supervisor's scope, or none, reads none.
CREATE POLICY training_sessions_read ON training_sessions FOR SELECT
  USING (town_id = ANY ((SELECT app_read_towns())::bigint[])
         OR (town_id IS NULL AND app_scope() IN ('town', 'county_read', 'county_admin')));
-- A town records its own; the county administrator the county's.
CREATE POLICY training_sessions_insert ON training_sessions FOR INSERT
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[])
              OR (town_id IS NULL AND app_scope() = 'county_admin'));
CREATE POLICY training_attendance_read ON training_attendance FOR SELECT
  USING (town_id = ANY ((SELECT app_read_towns())::bigint[]));
-- Attendance is written (and a wrong tick removed) by whoever records the
-- session: the town for its own sessions, the county administrator for the
-- county's (for any town's officers).
CREATE POLICY training_attendance_write ON training_attendance FOR ALL
  USING (town_id = ANY ((SELECT app_write_towns())::bigint[])
         AND EXISTS (SELECT FROM training_sessions s WHERE s.id = session_id
                     AND (s.town_id = ANY ((SELECT app_write_towns())::bigint[])
                          OR (s.town_id IS NULL AND app_scope() = 'county_admin'))))
  WITH CHECK (town_id = ANY ((SELECT app_write_towns())::bigint[])
              AND EXISTS (SELECT FROM training_sessions s WHERE s.id = session_id
                          AND (s.town_id = ANY ((SELECT app_write_towns())::bigint[])
                               OR (s.town_id IS NULL AND app_scope() = 'county_admin'))));
GRANT SELECT, INSERT ON training_sessions TO zhifa_app;
GRANT SELECT, INSERT, DELETE ON training_attendance TO zhifa_app;
