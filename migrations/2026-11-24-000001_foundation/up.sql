-- Organisations, people, sessions, throttling, audit log (X1) and mail outbox (X2).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE organizations (
    id              BIGSERIAL PRIMARY KEY,
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('solution_provider', 'distributor', 'reseller')),
    parent_id       BIGINT REFERENCES organizations(id),
    signing_entity  TEXT NOT NULL,
    invitation_reminders BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((kind = 'reseller') = (parent_id IS NOT NULL))
);

CREATE TABLE customers (
    id              BIGSERIAL PRIMARY KEY,
    company         TEXT NOT NULL,
    contact_name    TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL,
    phone           TEXT NOT NULL DEFAULT '',
    verification    TEXT NOT NULL DEFAULT 'unverified' CHECK (verification IN ('unverified', 'pending', 'verified')),
    signing_entity  TEXT NOT NULL,
    partner_id      BIGINT REFERENCES organizations(id),
    association_type TEXT CHECK (association_type IN ('resale', 'advisory')),
    associated_at   TIMESTAMPTZ,
    manager_id      BIGINT,
    discount        NUMERIC(5,4) NOT NULL DEFAULT 1 CHECK (discount > 0 AND discount <= 1),
    special_contract BOOLEAN NOT NULL DEFAULT FALSE,
    cash_spent      NUMERIC(20,2) NOT NULL DEFAULT 0,
    registered_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((partner_id IS NULL) = (association_type IS NULL)),
    CHECK (partner_id IS NOT NULL OR manager_id IS NULL)
);
CREATE UNIQUE INDEX customers_email_key ON customers (lower(email));
CREATE INDEX customers_partner_idx ON customers (partner_id, id);
CREATE INDEX customers_partner_company_idx ON customers (partner_id, company, id);
CREATE INDEX customers_partner_manager_idx ON customers (partner_id, manager_id, id);
CREATE INDEX customers_company_trgm ON customers USING gin (company gin_trgm_ops);
CREATE INDEX customers_contact_trgm ON customers USING gin (contact_name gin_trgm_ops);

CREATE TABLE users (
    id              BIGSERIAL PRIMARY KEY,
    email           TEXT NOT NULL,
    audience        TEXT NOT NULL CHECK (audience IN ('partner', 'customer', 'operator')),
    password_hash   TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    phone           TEXT NOT NULL DEFAULT '',
    language        TEXT NOT NULL DEFAULT 'zh-CN',
    org_id          BIGINT REFERENCES organizations(id),
    role            TEXT CHECK (role IN ('admin', 'supervisor', 'manager')),
    supervisor_id   BIGINT REFERENCES users(id),
    customer_id     BIGINT REFERENCES customers(id),
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_sign_in_at TIMESTAMPTZ,
    -- One account is exactly one audience (SPEC §1).
    CHECK ((audience = 'partner') = (org_id IS NOT NULL AND role IS NOT NULL)),
    CHECK ((audience = 'customer') = (customer_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_org_idx ON users (org_id, role);
ALTER TABLE customers ADD CONSTRAINT customers_manager_fk FOREIGN KEY (manager_id) REFERENCES users(id);

-- Server-side sessions: sign-out really ends a session, every instance sees the same ones.
CREATE TABLE web_sessions (
    key         TEXT PRIMARY KEY,
    state       JSONB NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX web_sessions_expiry_idx ON web_sessions (expires_at);

-- Sliding-window counters shared by every instance (rule A2, reveal limits).
CREATE TABLE rate_events (
    id      BIGSERIAL PRIMARY KEY,
    bucket  TEXT NOT NULL,
    key     TEXT NOT NULL,
    at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX rate_events_lookup_idx ON rate_events (bucket, key, at);

-- rule X1: append-only audit log.
CREATE TABLE audit_log (
    id            BIGSERIAL PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_user_id BIGINT,
    actor_email   TEXT NOT NULL DEFAULT '',
    org_id        BIGINT,
    action        TEXT NOT NULL,
    subject_type  TEXT NOT NULL,
    subject_id    TEXT NOT NULL,
    before        JSONB,
    after         JSONB,
    request_id    TEXT NOT NULL DEFAULT '',
    client_ip     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_org_idx ON audit_log (org_id, id DESC);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id, id DESC);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- rule X2: mail outbox written in the same transaction as the change.
CREATE TABLE outbox (
    id              BIGSERIAL PRIMARY KEY,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    kind            TEXT NOT NULL,
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error      TEXT,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id) WHERE state = 'pending';
