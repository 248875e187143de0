DROP TABLE IF EXISTS login_failures, sessions;
DROP TABLE IF EXISTS certificates;
DROP FUNCTION IF EXISTS certificates_town_matches();
DROP TABLE IF EXISTS users;
DROP FUNCTION IF EXISTS app_write_towns(), app_read_towns(), app_user_id(), app_town_id(), app_scope();
DROP TABLE IF EXISTS towns, counties;
