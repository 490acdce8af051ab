-- Customer list sorted by "associated since" (rule C4): keyset pages walk this index.
CREATE INDEX customers_partner_since_idx ON customers (partner_id, associated_at, id);
-- A manager's own list sorted by company stays an index walk at 100k customers.
CREATE INDEX customers_partner_manager_company_idx ON customers (partner_id, manager_id, company, id);
