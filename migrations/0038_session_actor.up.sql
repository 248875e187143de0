-- A page's session and its user, in one round trip: every request reads
-- its session (scs, by token) and then the user the session belongs to
-- (account.SessionActor); session_actor reads both at once.
--
-- The user is found by the session's token through user_sessions (the
-- SHA-256 of the token), so the function returns only the user whose
-- session the caller holds the token of: what the caller could read with
-- app.user_id set to that user. It runs as the schema owner, which reads
-- user_sessions and users past row-level security where the deployment
-- grants it BYPASSRLS (as the local cluster does); elsewhere the user's
-- columns come back NULL and the app reads the user in a round trip of its
-- own, as before (internal/server loadActor). The app checks that the user
-- is the one the session's own data names. PL/pgSQL, not SQL: its plan is
-- kept by the connection, where a SQL function's would be made each call.
--
-- With them come the version numbers of the reference data the app
-- instances cache (internal/refcache): ref_versions, one row per kind,
-- bumped by the refcache_notify triggers of 0028 in the changing
-- transaction. A request thus learns at its start, in the same round trip,
-- of every change committed before it, and its instance drops that kind
-- before it reads, even if the notification on zhifa_ref has not reached
-- it yet.
CREATE TABLE ref_versions (
  kind    text PRIMARY KEY CHECK (length(kind) <= 20),
  version bigint NOT NULL DEFAULT 0
);
INSERT INTO ref_versions (kind)
VALUES ('towns'), ('domains'), ('lists'), ('officers'), ('settings'), ('holidays'), ('villages');
GRANT SELECT ON ref_versions TO zhifa_app;

-- As in 0028, and the kinds' versions bumped: as the owner, since the app
-- role may not write ref_versions.
CREATE OR REPLACE FUNCTION refcache_notify() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public AS $$
DECLARE
  k text;
BEGIN
  FOREACH k IN ARRAY TG_ARGV LOOP
    PERFORM pg_notify('zhifa_ref', k);
    UPDATE ref_versions SET version = version + 1 WHERE kind = k;
  END LOOP;
  RETURN NULL;
END $$;

CREATE FUNCTION session_actor(tok text,
  OUT data bytea, OUT expiry timestamptz, OUT user_id bigint, OUT username text, OUT display_name text,
  OUT role text, OUT town_id bigint, OUT town_name text, OUT active boolean,
  OUT ref_kinds text[], OUT ref_versions bigint[])
RETURNS SETOF record LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  RETURN QUERY
  SELECT s.data, s.expiry, u.id, u.username, u.display_name, u.role, u.town_id, t.name, u.active, v.kinds, v.versions
  FROM sessions s
  LEFT JOIN user_sessions us ON us.token_hash = sha256(convert_to(s.token, 'UTF8'))
  LEFT JOIN users u ON u.id = us.user_id
  LEFT JOIN towns t ON t.id = u.town_id
  CROSS JOIN (SELECT array_agg(r.kind ORDER BY r.kind) AS kinds, array_agg(r.version ORDER BY r.kind) AS versions
              FROM ref_versions r) v
  WHERE s.token = tok AND current_timestamp < s.expiry;
END $$;
REVOKE ALL ON FUNCTION session_actor(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION session_actor(text) TO zhifa_app;
