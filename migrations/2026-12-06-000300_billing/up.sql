-- Usage and monthly bills (rules B1, B2, C5, K7; SPEC §6 "Cents", "Attribution", "Settlement").
-- Rated usage lines arrive by import (idempotent per record id), are rated into bill lines when
-- a closed month is billed, and each bill is settled when issued. Bills keep the partner,
-- association type and managers of their month, so later moves rewrite no history.

-- A usage import (B2): one uploaded file or command run, its progress and its counts. The rows
-- it rejected wait in `usage_import_rejects` for the report.
CREATE TABLE usage_imports (
    id             BIGSERIAL PRIMARY KEY,
    state          TEXT NOT NULL DEFAULT 'queued'
                   CHECK (state IN ('queued', 'running', 'done', 'failed')),
    file_name      TEXT NOT NULL DEFAULT '' CHECK (char_length(file_name) <= 255),
    bytes_total    BIGINT NOT NULL DEFAULT 0,
    bytes_read     BIGINT NOT NULL DEFAULT 0,
    rows_read      BIGINT NOT NULL DEFAULT 0,
    rows_imported  BIGINT NOT NULL DEFAULT 0,
    -- Record ids already imported with the same values: a re-import skips them (B2).
    rows_already   BIGINT NOT NULL DEFAULT 0,
    rows_rejected  BIGINT NOT NULL DEFAULT 0,
    -- Why the file as a whole could not be read (an i18n key), when it failed.
    problem        TEXT NOT NULL DEFAULT '',
    problem_line   BIGINT,
    created_by     BIGINT REFERENCES users (id),
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at     TIMESTAMPTZ,
    finished_at    TIMESTAMPTZ
);
CREATE INDEX usage_imports_recent_idx ON usage_imports (id DESC);

-- A rejected row as the file had it, with the reason (an i18n key): the report's rows.
CREATE TABLE usage_import_rejects (
    import_id   BIGINT NOT NULL REFERENCES usage_imports (id) ON DELETE CASCADE,
    line        BIGINT NOT NULL,
    record_id   TEXT NOT NULL,
    customer    TEXT NOT NULL,
    product     TEXT NOT NULL,
    period      TEXT NOT NULL,
    quantity    TEXT NOT NULL,
    unit_price  TEXT NOT NULL,
    error       TEXT NOT NULL,
    PRIMARY KEY (import_id, line)
);

-- rule B2: one rated usage line, once per record id. `amount` is quantity × unit price
-- truncated to 8 decimals (B1, `services::billing::rating::rate`). Customers and products are
-- checked by the import's set-based insert (they are never deleted), so the 1M-line import
-- does not pay two foreign-key probes per row.
CREATE TABLE usage_lines (
    id           BIGSERIAL PRIMARY KEY,
    record_id    TEXT NOT NULL UNIQUE CHECK (char_length(record_id) BETWEEN 1 AND 64),
    customer_id  BIGINT NOT NULL,
    product_id   BIGINT NOT NULL,
    period       DATE NOT NULL CHECK (extract(day FROM period) = 1),
    quantity     NUMERIC(20,8) NOT NULL CHECK (quantity > 0),
    unit_price   NUMERIC(20,8) NOT NULL CHECK (unit_price >= 0),
    amount       NUMERIC(20,8) NOT NULL CHECK (amount >= 0),
    import_id    BIGINT,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Billing a month reads its lines customer by customer.
CREATE INDEX usage_lines_period_customer_idx ON usage_lines (period, customer_id);

-- The stub `bills` table grows into issued bills. `amount` stays the bill's total: the sum of
-- its lines' charged cents (SPEC §6 "Cents"). `subtotal` is the list amount (8 decimals),
-- `discount` what the customer's discount took off, `cut_off` the 抹零 of all lines, so
-- subtotal − discount − cut_off = amount. Coupons paid part (K7: the voucher part is never
-- invoiced), then the balance, then credit; `unpaid` is what was left as a debt. `state`
-- follows `paid_at`, which the C2 check reads: a bill with an unpaid rest is unpaid until its
-- debt is repaid (trigger below). Rows without `issued_at` are older stub rows.
ALTER TABLE bills
    ADD COLUMN partner_id            BIGINT REFERENCES organizations (id),
    ADD COLUMN association_type      TEXT CHECK (association_type IN ('resale', 'advisory')),
    ADD COLUMN signing_entity        TEXT NOT NULL DEFAULT '',
    ADD COLUMN subtotal              NUMERIC(20,8) NOT NULL DEFAULT 0,
    ADD COLUMN discount              NUMERIC(20,8) NOT NULL DEFAULT 0,
    ADD COLUMN cut_off               NUMERIC(20,8) NOT NULL DEFAULT 0,
    ADD COLUMN voucher_deduction     NUMERIC(20,2) NOT NULL DEFAULT 0,
    ADD COLUMN cash_coupon_deduction NUMERIC(20,2) NOT NULL DEFAULT 0,
    ADD COLUMN from_balance          NUMERIC(20,2) NOT NULL DEFAULT 0,
    ADD COLUMN from_credit           NUMERIC(20,2) NOT NULL DEFAULT 0,
    ADD COLUMN unpaid                NUMERIC(20,2) NOT NULL DEFAULT 0,
    ADD COLUMN due_on                DATE,
    ADD COLUMN issued_at             TIMESTAMPTZ,
    ADD COLUMN state                 TEXT NOT NULL
        GENERATED ALWAYS AS (CASE WHEN paid_at IS NULL THEN 'unpaid' ELSE 'paid' END) STORED;
ALTER TABLE bills ADD CONSTRAINT bills_issued_sums CHECK (issued_at IS NULL OR (
    subtotal - discount - cut_off = amount
    AND voucher_deduction + cash_coupon_deduction + from_balance + from_credit + unpaid = amount
    AND voucher_deduction >= 0 AND cash_coupon_deduction >= 0 AND from_balance >= 0
    AND from_credit >= 0 AND unpaid >= 0 AND discount >= 0 AND cut_off >= 0
    AND (partner_id IS NULL) = (association_type IS NULL)));
-- rule B2: one issued bill per customer and month (issuing twice does nothing twice).
CREATE UNIQUE INDEX bills_customer_month_key ON bills (customer_id, period)
    WHERE issued_at IS NOT NULL;
CREATE INDEX bills_customer_id_idx ON bills (customer_id, id DESC);
-- The partner lists: newest first, by month, by state (admins; `list` says how each is read).
CREATE INDEX bills_partner_idx ON bills (partner_id, id DESC);
CREATE INDEX bills_partner_period_idx ON bills (partner_id, period, id DESC);
CREATE INDEX bills_partner_state_idx ON bills (partner_id, state, id DESC);

-- One line of a bill (B1): usage of one product at one unit price, attributed to the manager
-- who held the customer during that share of the month (C5; NULL: none did). `list_amount`
-- is the rated usage, `amount` after the customer's discount, `charged` the whole cents of
-- it (truncated toward zero), `cut_off` the rest.
CREATE TABLE bill_lines (
    id           BIGSERIAL PRIMARY KEY,
    bill_id      BIGINT NOT NULL REFERENCES bills (id),
    product_id   BIGINT NOT NULL REFERENCES products (id),
    manager_id   BIGINT REFERENCES users (id),
    quantity     NUMERIC(20,8) NOT NULL CHECK (quantity >= 0),
    unit_price   NUMERIC(20,8) NOT NULL CHECK (unit_price >= 0),
    list_amount  NUMERIC(20,8) NOT NULL CHECK (list_amount >= 0),
    amount       NUMERIC(20,8) NOT NULL CHECK (amount >= 0 AND amount <= list_amount),
    charged      NUMERIC(20,2) NOT NULL CHECK (charged >= 0),
    cut_off      NUMERIC(20,8) NOT NULL CHECK (cut_off >= 0 AND cut_off < 0.01),
    CHECK (charged + cut_off = amount)
);
CREATE INDEX bill_lines_bill_idx ON bill_lines (bill_id, id);

-- C5: a bill's charged cents per manager of its month (0: no manager), for bills with a
-- partner. The manager and supervisor lists walk it; the detail page shows the split.
CREATE TABLE bill_managers (
    bill_id     BIGINT NOT NULL REFERENCES bills (id),
    partner_id  BIGINT NOT NULL REFERENCES organizations (id),
    manager_id  BIGINT NOT NULL,
    period      DATE NOT NULL,
    charged     NUMERIC(20,2) NOT NULL CHECK (charged >= 0),
    PRIMARY KEY (bill_id, manager_id)
);
CREATE INDEX bill_managers_scope_idx ON bill_managers (partner_id, manager_id, bill_id DESC);
CREATE INDEX bill_managers_month_idx ON bill_managers (partner_id, manager_id, period, bill_id DESC);

-- Kept as bills are issued, never computed per view: per partner and month the bills and
-- their money, and per manager (0: none) the consumption attributed to them (C5). The bills
-- list's counts and the dashboard read these.
CREATE TABLE bill_month_totals (
    partner_id   BIGINT NOT NULL REFERENCES organizations (id),
    period       DATE NOT NULL,
    bills        BIGINT NOT NULL DEFAULT 0,
    subtotal     NUMERIC(20,8) NOT NULL DEFAULT 0,
    discount     NUMERIC(20,8) NOT NULL DEFAULT 0,
    cut_off      NUMERIC(20,8) NOT NULL DEFAULT 0,
    amount       NUMERIC(20,2) NOT NULL DEFAULT 0,
    PRIMARY KEY (partner_id, period)
);
CREATE TABLE bill_manager_month_totals (
    partner_id   BIGINT NOT NULL REFERENCES organizations (id),
    manager_id   BIGINT NOT NULL,
    period       DATE NOT NULL,
    bills        BIGINT NOT NULL DEFAULT 0,
    charged      NUMERIC(20,2) NOT NULL DEFAULT 0,
    PRIMARY KEY (partner_id, manager_id, period)
);

-- SPEC §6 "Settlement": when the unpaid rest of a bill is repaid (by `credit::debts::
-- repay_oldest`, whoever calls it), the bill becomes paid. Here rather than in each caller,
-- so no path that repays a debt can leave its bill unpaid and blocking association (C2).
CREATE FUNCTION bill_paid_when_debt_settled() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE bills SET paid_at = NEW.settled_at
    WHERE id = NEW.bill_id AND paid_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM debts d
                      WHERE d.bill_id = NEW.bill_id AND d.kind = 'unpaid'
                        AND d.settled_at IS NULL);
    RETURN NULL;
END $$;
CREATE TRIGGER debts_settle_bill AFTER UPDATE OF settled_at ON debts FOR EACH ROW
    WHEN (NEW.bill_id IS NOT NULL AND NEW.kind = 'unpaid'
          AND NEW.settled_at IS NOT NULL AND OLD.settled_at IS NULL)
    EXECUTE FUNCTION bill_paid_when_debt_settled();
