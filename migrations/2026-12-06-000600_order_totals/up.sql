-- Performance per partner, manager and month (rule C5, P2): what paid orders brought in, kept
-- as orders are paid and refunded rather than summed per view, so the dashboard reads twelve
-- rows whatever the size of the book. The month is the payment's calendar month in China
-- Standard Time (SPEC §5 "Times"); a refund lowers the month its order was paid in. Kept by a
-- trigger, so every path that pays or refunds (the app, seed scripts) keeps it.
CREATE TABLE order_month_totals (
    partner_id  BIGINT NOT NULL REFERENCES organizations (id),
    -- 0: the customer had no manager when the order was paid.
    manager_id  BIGINT NOT NULL,
    period      DATE NOT NULL CHECK (extract(day FROM period) = 1),
    shard       SMALLINT NOT NULL CHECK (shard BETWEEN 0 AND 63),
    orders      BIGINT NOT NULL DEFAULT 0,
    -- Paid less refunded.
    amount      NUMERIC(20,2) NOT NULL DEFAULT 0,
    -- The part the partner paid on its customers' behalf (代付).
    on_behalf   NUMERIC(20,2) NOT NULL DEFAULT 0,
    PRIMARY KEY (partner_id, manager_id, period, shard)
);

CREATE FUNCTION order_month_totals_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_paid   BOOLEAN := TG_OP = 'UPDATE' AND OLD.paid_at IS NOT NULL;
    refund     NUMERIC(20,2) := NEW.refunded - CASE WHEN TG_OP = 'UPDATE' THEN OLD.refunded ELSE 0 END;
    n          BIGINT := 0;
    delta      NUMERIC(20,2) := 0;
BEGIN
    IF NEW.paid_at IS NULL OR NEW.partner_id IS NULL THEN
        RETURN NEW;
    END IF;
    IF NOT was_paid THEN
        n := 1;
        delta := NEW.amount;
    END IF;
    delta := delta - refund;
    IF n = 0 AND delta = 0 THEN
        RETURN NEW;
    END IF;
    INSERT INTO order_month_totals AS t (partner_id, manager_id, period, shard, orders, amount,
                                         on_behalf)
    VALUES (NEW.partner_id, COALESCE(NEW.manager_id, 0),
            date_trunc('month', NEW.paid_at AT TIME ZONE 'Asia/Shanghai')::date,
            NEW.customer_id % 64, n, delta,
            CASE WHEN NEW.payer = 'partner' THEN delta ELSE 0 END)
    ON CONFLICT (partner_id, manager_id, period, shard) DO UPDATE
        SET orders = t.orders + EXCLUDED.orders,
            amount = t.amount + EXCLUDED.amount,
            on_behalf = t.on_behalf + EXCLUDED.on_behalf;
    RETURN NEW;
END;
$$;

CREATE CONSTRAINT TRIGGER orders_keep_month_totals
    AFTER INSERT OR UPDATE OF paid_at, refunded ON orders
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION order_month_totals_keep();
