DROP TABLE training_attendance;
DROP TABLE training_sessions;
DROP FUNCTION training_attendance_check();
