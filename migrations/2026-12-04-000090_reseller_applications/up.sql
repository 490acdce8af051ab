-- Cooperation applications (rule R2): an enterprise customer applies to become a reseller of a
-- distributor it names; an operator decides first, then the distributor. Each step is a row of
-- its own, so both sides read the same history.
CREATE TABLE reseller_applications (
    id               BIGSERIAL PRIMARY KEY,
    customer_id      BIGINT NOT NULL REFERENCES customers (id),
    applicant_id     BIGINT NOT NULL REFERENCES users (id),
    distributor_id   BIGINT NOT NULL REFERENCES organizations (id),
    company          TEXT NOT NULL,
    message          TEXT NOT NULL DEFAULT '',
    state            TEXT NOT NULL DEFAULT 'awaiting_operator'
                     CHECK (state IN ('awaiting_operator', 'awaiting_distributor', 'approved', 'rejected')),
    reseller_org_id  BIGINT REFERENCES organizations (id),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One open application per customer at a time.
CREATE UNIQUE INDEX reseller_applications_open_key ON reseller_applications (customer_id)
  WHERE state IN ('awaiting_operator', 'awaiting_distributor');
CREATE INDEX reseller_applications_state_idx ON reseller_applications (state, id);
CREATE INDEX reseller_applications_distributor_idx ON reseller_applications (distributor_id, state, id);
CREATE INDEX reseller_applications_customer_idx ON reseller_applications (customer_id, id);

CREATE TABLE reseller_application_steps (
    id              BIGSERIAL PRIMARY KEY,
    application_id  BIGINT NOT NULL REFERENCES reseller_applications (id),
    step            TEXT NOT NULL CHECK (step IN ('applied', 'operator_approved', 'operator_rejected',
                                                  'distributor_approved', 'distributor_rejected')),
    actor_user_id   BIGINT REFERENCES users (id),
    reason          TEXT NOT NULL DEFAULT '',
    at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX reseller_application_steps_idx ON reseller_application_steps (application_id, id);
