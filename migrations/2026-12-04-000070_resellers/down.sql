DROP INDEX organizations_name_trgm_idx;
DROP INDEX organizations_parent_name_idx;
ALTER TABLE organizations DROP COLUMN cooperation, DROP COLUMN contact_user_id;
