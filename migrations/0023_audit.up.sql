-- Audit (issue 10, item 7).
--
-- access_log: who read which case page, document, evidence file or dossier,
-- and when. Every case holds citizens' personal data, so every successful
-- read under /cases/{id} is written here by one middleware (internal/server/
-- audit.go) before the response's body is sent. Append-only: the app role may
-- only insert and select, and a trigger refuses any change or deletion even
-- by the owner. The county reads it (both county roles); towns do not.
CREATE TABLE access_log (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        timestamptz NOT NULL,
  user_id   bigint NOT NULL REFERENCES users (id),
  username  text   NOT NULL CHECK (length(username) <= 40),
  user_name text   NOT NULL CHECK (length(user_name) <= 40),  -- the display name as it was
  role      text   NOT NULL CHECK (length(role) <= 40),
  town_id   bigint NOT NULL REFERENCES towns (id),            -- the case's town
  case_id   bigint NOT NULL REFERENCES cases (id),
  what      text   NOT NULL CHECK (what IN ('case', 'document', 'evidence', 'dossier', 'dossier_pdf')),
  object_id bigint,                                            -- the document or evidence row, if one
  path      text   NOT NULL CHECK (length(path) <= 2000),
  remote    text   NOT NULL CHECK (length(remote) <= 100),
  status    int    NOT NULL CHECK (status IN (200, 206))
);
CREATE INDEX access_log_town_idx ON access_log (town_id, id);
CREATE INDEX access_log_case_idx ON access_log (case_id, id);
CREATE INDEX access_log_user_idx ON access_log (user_id, id);
CREATE INDEX access_log_at_idx ON access_log (at);

CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE FUNCTION refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: it cannot be truncated', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate();

ALTER TABLE access_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE access_log FORCE ROW LEVEL SECURITY;
-- The county reads every entry; a town reads none (not even its own).
CREATE POLICY access_log_read ON access_log FOR SELECT
  USING (app_scope() IN ('county_read', 'county_admin'));
-- A user records only its own reads, of a case it can read (the sub-select
-- runs under the reader's own row-level security on cases), under that
-- case's town.
CREATE POLICY access_log_insert ON access_log FOR INSERT
  WITH CHECK (user_id = app_user_id()
              AND EXISTS (SELECT FROM cases c WHERE c.id = case_id AND c.town_id = access_log.town_id));
GRANT SELECT, INSERT ON access_log TO zhifa_app;

-- user_sessions: which login session (scs token, see the sessions table)
-- belongs to which user, so that a password change or a deactivation can
-- end the user's other sessions (scs keeps a session's data as an opaque
-- blob). Written at login, moved when the token is renewed, deleted at
-- logout. A session whose token is not listed here for its user is not
-- accepted (internal/server loadActor): a session row written back by a
-- request that was in flight while the sessions were ended stays dead.
-- Sessions from before this migration have no row: their users log in once
-- again. Only the SHA-256 of a token is kept: the table (unlike sessions)
-- goes into backups, and a token is a login.
CREATE TABLE user_sessions (
  token_hash bytea  PRIMARY KEY CHECK (length(token_hash) = 32),
  user_id    bigint NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);
ALTER TABLE user_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_sessions FORCE ROW LEVEL SECURITY;
-- A user sees and ends its own sessions; the county administrator ends
-- those of a user it deactivates.
CREATE POLICY user_sessions_own ON user_sessions FOR ALL
  USING (user_id = app_user_id() OR app_scope() = 'county_admin')
  WITH CHECK (user_id = app_user_id() OR app_scope() = 'county_admin');
GRANT SELECT, INSERT, UPDATE, DELETE ON user_sessions TO zhifa_app;
