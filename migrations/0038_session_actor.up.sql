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
CREATE FUNCTION session_actor(tok text,
  OUT data bytea, OUT expiry timestamptz, OUT user_id bigint, OUT username text, OUT display_name text,
  OUT role text, OUT town_id bigint, OUT town_name text, OUT active boolean)
RETURNS SETOF record LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  RETURN QUERY
  SELECT s.data, s.expiry, u.id, u.username, u.display_name, u.role, u.town_id, t.name, u.active
  FROM sessions s
  LEFT JOIN user_sessions us ON us.token_hash = sha256(convert_to(s.token, 'UTF8'))
  LEFT JOIN users u ON u.id = us.user_id
  LEFT JOIN towns t ON t.id = u.town_id
  WHERE s.token = tok AND current_timestamp < s.expiry;
END $$;
REVOKE ALL ON FUNCTION session_actor(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION session_actor(text) TO zhifa_app;
