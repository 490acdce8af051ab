DROP TABLE withdrawals;
DROP TABLE debts;
DROP TABLE order_payments;
DROP TABLE orders;
DROP TABLE products;
DROP TABLE revenue_accounts;
DROP INDEX ledger_accounts_owner_kind_key;
CREATE UNIQUE INDEX ledger_accounts_owner_kind_key
    ON ledger_accounts (kind, COALESCE(owner_org_id, 0), COALESCE(owner_customer_id, 0))
    WHERE kind NOT IN ('coupon', 'voucher_quota', 'cash_coupon_quota');
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN (
    'partner_cash', 'customer_balance', 'customer_credit', 'voucher_quota',
    'cash_coupon_quota', 'coupon', 'platform', 'external'));
