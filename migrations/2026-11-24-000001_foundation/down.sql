DROP TABLE outbox;
DROP TABLE audit_log;
DROP FUNCTION refuse_change() CASCADE;
DROP TABLE rate_events;
DROP TABLE web_sessions;
ALTER TABLE customers DROP CONSTRAINT customers_manager_fk;
DROP TABLE users;
DROP TABLE customers;
DROP TABLE organizations;
