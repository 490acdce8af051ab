-- Customer invitations (C1-C3), offline expansion links (C7), pre-registrations (C8).
CREATE TABLE invitations (
    id                   BIGSERIAL PRIMARY KEY,
    partner_id           BIGINT NOT NULL REFERENCES organizations(id),
    inviter_id           BIGINT NOT NULL REFERENCES users(id),
    email                TEXT NOT NULL,
    company              TEXT NOT NULL DEFAULT '',
    association_type     TEXT NOT NULL CHECK (association_type IN ('resale', 'advisory')),
    language             TEXT NOT NULL CHECK (language IN ('zh-CN', 'en')),
    token_hash           TEXT NOT NULL UNIQUE,
    state                TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'revoked')),
    expires_at           TIMESTAMPTZ NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    resent_count         INT NOT NULL DEFAULT 0,
    reminder_sent_at     TIMESTAMPTZ,
    accepted_at          TIMESTAMPTZ,
    accepted_customer_id BIGINT REFERENCES customers(id),
    revoked_at           TIMESTAMPTZ
);
CREATE INDEX invitations_partner_idx ON invitations (partner_id, id DESC);
CREATE INDEX invitations_inviter_idx ON invitations (inviter_id, id DESC);
CREATE INDEX invitations_email_idx ON invitations (partner_id, lower(email));
CREATE INDEX invitations_reminder_idx ON invitations (expires_at) WHERE state = 'pending' AND reminder_sent_at IS NULL;

CREATE TABLE expansion_links (
    id          BIGSERIAL PRIMARY KEY,
    partner_id  BIGINT NOT NULL REFERENCES organizations(id),
    code        TEXT NOT NULL UNIQUE,
    created_by  BIGINT REFERENCES users(id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    voided_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX expansion_links_one_active ON expansion_links (partner_id) WHERE voided_at IS NULL;

CREATE TABLE pre_registrations (
    id          BIGSERIAL PRIMARY KEY,
    partner_id  BIGINT NOT NULL REFERENCES organizations(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    created_by  BIGINT NOT NULL REFERENCES users(id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    closed_at   TIMESTAMPTZ
);
CREATE INDEX pre_registrations_partner_idx ON pre_registrations (partner_id, expires_at);
CREATE INDEX pre_registrations_customer_idx ON pre_registrations (customer_id, expires_at);
