-- Updates that change no indexed column stay HOT: PostgreSQL writes the new row version on the
-- same page and adds no index entry. Two of the payment's most frequent updates were not:
--
-- * Every transfer rewrites two `ledger_accounts` balances, and `balance` was a column of the
--   customer-and-kind index (INCLUDE, for lists that read balances from the index alone), so
--   each balance change added an entry to all four indexes of the table. Visibility of a
--   just-updated page sends those reads to the table anyway; the index now carries only the
--   credit limit, which changes rarely.
-- * Each payment adds to the customer's `cash_spent` (rule C8), but a freshly loaded
--   `customers` page had no room for the new version, so the update went to another page and
--   into all eleven indexes, two of them trigram GIN indexes.
--
-- Room on each page (fillfactor) lets the new version stay beside the old one. It applies to
-- pages written from now on; `VACUUM FULL` of the two tables gives existing pages the room too.
DROP INDEX ledger_accounts_customer_kind_idx;
CREATE INDEX ledger_accounts_customer_kind_idx ON ledger_accounts (owner_customer_id, kind)
    INCLUDE (credit_limit);
ALTER TABLE ledger_accounts SET (fillfactor = 50);
ALTER TABLE customers SET (fillfactor = 70);

-- What a voucher paid of an order (rule K7: never invoiced), kept on the order when it is paid,
-- so the invoice item written at commit reads the order row alone instead of summing the
-- order's payment rows again (an index probe per payment, or a scan while the table's
-- statistics still describe it as empty).
ALTER TABLE orders ADD COLUMN voucher_paid NUMERIC(20,2) NOT NULL DEFAULT 0
    CHECK (voucher_paid >= 0);
UPDATE orders o SET voucher_paid = v.paid
FROM (SELECT order_id, sum(amount) AS paid FROM order_payments
      WHERE source = 'voucher' GROUP BY order_id) v
WHERE o.id = v.order_id;

CREATE OR REPLACE FUNCTION invoice_item_for_paid_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO invoice_items (customer_id, kind, order_id, issuer_org_id, signing_entity,
                               tax_rate, rank, occurred_at, amount, voucher_excluded)
    SELECT o.customer_id, 'order', o.id,
           CASE WHEN o.association_type = 'resale' THEN o.partner_id END,
           o.signing_entity, p.tax_rate, 2, o.paid_at, o.amount - o.voucher_paid, o.voucher_paid
    FROM orders o
    JOIN products p ON p.id = o.product_id
    WHERE o.id = NEW.id AND o.paid_at IS NOT NULL AND o.amount - o.voucher_paid > 0
    ON CONFLICT (order_id) WHERE kind = 'order' AND split_from IS NULL DO NOTHING;
    RETURN NULL;
END $$;
