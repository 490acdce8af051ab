-- Resellers (rules R1, R3): a distributor's list of its resellers, keyset-paged by name and
-- searched by name, with each reseller's contact person and cooperation status.
ALTER TABLE organizations
  ADD COLUMN contact_user_id BIGINT REFERENCES users (id),
  ADD COLUMN cooperation TEXT NOT NULL DEFAULT 'active'
    CHECK (cooperation IN ('active', 'suspended'));

-- The contact is the organisation's first admin until someone names another.
UPDATE organizations o
SET contact_user_id = (SELECT u.id FROM users u
                       WHERE u.org_id = o.id AND u.role = 'admin' ORDER BY u.id LIMIT 1);

CREATE INDEX organizations_parent_name_idx ON organizations (parent_id, name, id)
  WHERE parent_id IS NOT NULL;
CREATE INDEX organizations_name_trgm_idx ON organizations USING gin (name gin_trgm_ops);
