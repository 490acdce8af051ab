CREATE OR REPLACE FUNCTION invoice_item_for_paid_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO invoice_items (customer_id, kind, order_id, issuer_org_id, signing_entity,
                               tax_rate, rank, occurred_at, amount, voucher_excluded)
    SELECT o.customer_id, 'order', o.id,
           CASE WHEN o.association_type = 'resale' THEN o.partner_id END,
           o.signing_entity, p.tax_rate, 2, o.paid_at, o.amount - v.voucher, v.voucher
    FROM orders o
    JOIN products p ON p.id = o.product_id
    CROSS JOIN LATERAL (SELECT COALESCE(sum(amount), 0) AS voucher FROM order_payments
                        WHERE order_id = o.id AND source = 'voucher') v
    WHERE o.id = NEW.id AND o.paid_at IS NOT NULL AND o.amount - v.voucher > 0
    ON CONFLICT (order_id) WHERE kind = 'order' AND split_from IS NULL DO NOTHING;
    RETURN NULL;
END $$;
ALTER TABLE orders DROP COLUMN voucher_paid;
ALTER TABLE customers RESET (fillfactor);
ALTER TABLE ledger_accounts RESET (fillfactor);
DROP INDEX ledger_accounts_customer_kind_idx;
CREATE INDEX ledger_accounts_customer_kind_idx ON ledger_accounts (owner_customer_id, kind)
    INCLUDE (balance, credit_limit);
