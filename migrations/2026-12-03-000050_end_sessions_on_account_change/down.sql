DROP TRIGGER users_end_sessions ON users;
DROP FUNCTION end_sessions_of_changed_account();
