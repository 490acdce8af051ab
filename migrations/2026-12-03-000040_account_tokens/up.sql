-- An address is proven before an account made on a public page can sign in or be associated
-- (C1, C7). Accounts made any other way (invitation, operators, demo data) count as proven:
-- only the join page writes NULL.
ALTER TABLE users ADD COLUMN email_verified_at TIMESTAMPTZ DEFAULT now();
UPDATE users SET email_verified_at = created_at;

-- Single-use links mailed to an address (same rules as invitation tokens, C1): only the
-- SHA-256 of the token is stored. `join_verify` proves the address of an account made on a
-- partner's join page and carries that partner; `password_reset` sets a new password.
CREATE TABLE account_tokens (
    token_hash  TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('join_verify', 'password_reset')),
    user_id     BIGINT NOT NULL REFERENCES users(id),
    partner_id  BIGINT REFERENCES organizations(id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    CHECK ((kind = 'join_verify') = (partner_id IS NOT NULL))
);
CREATE INDEX account_tokens_user_idx ON account_tokens (user_id, kind);
