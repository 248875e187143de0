DROP TABLE IF EXISTS user_sessions, access_log;
DROP FUNCTION IF EXISTS refuse_truncate();
