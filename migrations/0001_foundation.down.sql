DROP TABLE IF EXISTS login_failures, sessions;
DROP TABLE IF EXISTS certificates;
DROP FUNCTION IF EXISTS certificates_town_matches();
DROP TABLE IF EXISTS users, towns, counties;
DROP FUNCTION IF EXISTS app_can_write(bigint), app_can_read(bigint), app_user_id(), app_town_id(), app_scope();
