-- A customer's two money accounts (balance and credit line), for the customer list's balances
-- (rule C4) and every read of a customer's money. The customer-and-kind index holds a
-- customer's coupon accounts too (ten per customer in the pages benchmark), so a page of 20
-- customers was 40 descents of it, one per customer and kind; along this index it is 20, each
-- finding both accounts side by side. The balance stays out of it so that balance updates stay
-- HOT (migration 000800); the kind and the credit limit change only when an account opens or
-- its limit is set.
CREATE INDEX ledger_accounts_customer_money_idx ON ledger_accounts (owner_customer_id)
    INCLUDE (kind, credit_limit)
    WHERE kind IN ('customer_balance', 'customer_credit');
