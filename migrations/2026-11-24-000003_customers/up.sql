-- Customer contacts (C10), association history (C6, C9), manager assignments (C5), bills owed (C2).
CREATE TABLE customer_contacts (
    id          BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    name        TEXT NOT NULL,
    email       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX customer_contacts_customer_idx ON customer_contacts (customer_id, id);

CREATE TABLE associations (
    id               BIGSERIAL PRIMARY KEY,
    customer_id      BIGINT NOT NULL REFERENCES customers(id),
    partner_id       BIGINT NOT NULL REFERENCES organizations(id),
    association_type TEXT NOT NULL CHECK (association_type IN ('resale', 'advisory')),
    started_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    ended_at         TIMESTAMPTZ,
    ended_by         BIGINT REFERENCES users(id),
    end_reason       TEXT
);
CREATE INDEX associations_customer_idx ON associations (customer_id, started_at DESC);
CREATE INDEX associations_partner_ended_idx ON associations (partner_id, ended_at);
CREATE UNIQUE INDEX associations_one_open ON associations (customer_id) WHERE ended_at IS NULL;

CREATE TABLE manager_assignments (
    id          BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    partner_id  BIGINT NOT NULL REFERENCES organizations(id),
    manager_id  BIGINT REFERENCES users(id),
    from_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    to_at       TIMESTAMPTZ,
    assigned_by BIGINT REFERENCES users(id)
);
CREATE INDEX manager_assignments_customer_idx ON manager_assignments (customer_id, from_at DESC);
CREATE INDEX manager_assignments_manager_idx ON manager_assignments (manager_id, from_at);
CREATE UNIQUE INDEX manager_assignments_one_open ON manager_assignments (customer_id) WHERE to_at IS NULL;

-- Monthly bills; the billing area fills these from rated usage. Unpaid ones block association (C2).
CREATE TABLE bills (
    id          BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    period      DATE NOT NULL,
    amount      NUMERIC(20,2) NOT NULL,
    paid_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX bills_customer_idx ON bills (customer_id, period DESC);
