DROP INDEX invitations_partner_idx;
CREATE INDEX invitations_partner_idx ON invitations (partner_id, id DESC);
DROP INDEX invitations_pending_idx;
CREATE INDEX invitations_pending_idx ON invitations (partner_id, inviter_id, expires_at)
  WHERE state = 'pending';
ALTER TABLE invitations DROP COLUMN accepted_org_id, DROP COLUMN kind;
