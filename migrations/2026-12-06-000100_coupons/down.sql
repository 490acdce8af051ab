DROP TABLE coupons;
DROP TABLE quota_adjustments;
DROP TABLE quota_grants;
DROP INDEX ledger_accounts_owner_kind_key;
CREATE UNIQUE INDEX ledger_accounts_owner_kind_key
    ON ledger_accounts (kind, COALESCE(owner_org_id, 0), COALESCE(owner_customer_id, 0))
    WHERE kind <> 'coupon';
DROP TABLE cloud_services;
