DROP TRIGGER debts_settle_bill ON debts;
DROP FUNCTION bill_paid_when_debt_settled();
DROP TABLE bill_manager_month_totals;
DROP TABLE bill_month_totals;
DROP TABLE bill_managers;
DROP TABLE bill_lines;
DROP INDEX bills_partner_state_idx;
DROP INDEX bills_partner_period_idx;
DROP INDEX bills_partner_idx;
DROP INDEX bills_customer_id_idx;
DROP INDEX bills_customer_month_key;
ALTER TABLE bills DROP CONSTRAINT bills_issued_sums;
ALTER TABLE bills
    DROP COLUMN state, DROP COLUMN issued_at, DROP COLUMN due_on, DROP COLUMN unpaid,
    DROP COLUMN from_credit, DROP COLUMN from_balance, DROP COLUMN cash_coupon_deduction,
    DROP COLUMN voucher_deduction, DROP COLUMN cut_off, DROP COLUMN discount,
    DROP COLUMN subtotal, DROP COLUMN signing_entity, DROP COLUMN association_type,
    DROP COLUMN partner_id;
DROP TABLE usage_lines;
DROP TABLE usage_import_rejects;
DROP TABLE usage_imports;
