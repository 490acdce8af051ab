-- One invitation table for every kind of invitee (rules C1, R1): a customer of the partner, or
-- a reseller organisation of a distributor. Accepting a reseller invitation records the
-- organisation it created.
ALTER TABLE invitations
  ADD COLUMN kind TEXT NOT NULL DEFAULT 'customer' CHECK (kind IN ('customer', 'reseller')),
  ADD COLUMN accepted_org_id BIGINT REFERENCES organizations (id);

DROP INDEX invitations_pending_idx;
CREATE INDEX invitations_pending_idx ON invitations (partner_id, kind, inviter_id, expires_at)
  WHERE state = 'pending';

-- Each kind's list walks its own rows newest first.
DROP INDEX invitations_partner_idx;
CREATE INDEX invitations_partner_idx ON invitations (partner_id, kind, id DESC);
