-- Tokens replaced by a resend (C3): kept as hashes only, so an old link can say
-- "no longer valid" instead of "does not exist".
CREATE TABLE invitation_retired_tokens (
    token_hash    TEXT PRIMARY KEY,
    invitation_id BIGINT NOT NULL REFERENCES invitations(id),
    retired_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX invitation_retired_tokens_invitation_idx ON invitation_retired_tokens (invitation_id);
