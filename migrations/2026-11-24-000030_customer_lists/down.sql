DROP INDEX IF EXISTS customers_partner_manager_company_idx;
DROP INDEX IF EXISTS customers_partner_since_idx;
