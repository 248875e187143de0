DROP FUNCTION session_actor(text);
