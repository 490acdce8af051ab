-- The identity in a session is read once at sign-in. Whatever changes who an account is —
-- its role, organisation, supervisor, audience, customer, being disabled, its password or
-- address — ends its sessions at once, whichever path made the change (SPEC §4).
CREATE FUNCTION end_sessions_of_changed_account() RETURNS trigger AS $$
BEGIN
    DELETE FROM web_sessions WHERE (state->>'who')::jsonb->>'user_id' = OLD.id::text;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER users_end_sessions
AFTER UPDATE OF role, org_id, supervisor_id, audience, customer_id, disabled, password_hash, email
ON users
FOR EACH ROW
WHEN (OLD.role IS DISTINCT FROM NEW.role
   OR OLD.org_id IS DISTINCT FROM NEW.org_id
   OR OLD.supervisor_id IS DISTINCT FROM NEW.supervisor_id
   OR OLD.audience IS DISTINCT FROM NEW.audience
   OR OLD.customer_id IS DISTINCT FROM NEW.customer_id
   OR OLD.disabled IS DISTINCT FROM NEW.disabled
   OR OLD.password_hash IS DISTINCT FROM NEW.password_hash
   OR OLD.email IS DISTINCT FROM NEW.email)
EXECUTE FUNCTION end_sessions_of_changed_account();
