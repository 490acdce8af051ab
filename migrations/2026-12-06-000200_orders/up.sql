-- Orders and payments (rules P1–P4, K7, C5, C8): the product catalog, orders and how each was
-- paid, payment on behalf (代付), debts from credit and unpaid bills, the platform's revenue
-- accounts (several per signing entity), and partners' withdrawals.

-- Two more kinds of ledger account: platform revenue (per signing entity, split into shards so
-- payments do not queue on one row lock) and a partner's withdrawal hold (rule P4: a pending
-- withdrawal's amount leaves the cash at once and returns if it is rejected or cancelled).
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN (
    'partner_cash', 'customer_balance', 'customer_credit', 'voucher_quota',
    'cash_coupon_quota', 'coupon', 'platform', 'external', 'revenue', 'partner_hold'));
DROP INDEX ledger_accounts_owner_kind_key;
CREATE UNIQUE INDEX ledger_accounts_owner_kind_key
    ON ledger_accounts (kind, COALESCE(owner_org_id, 0), COALESCE(owner_customer_id, 0))
    WHERE kind NOT IN ('coupon', 'voucher_quota', 'cash_coupon_quota', 'revenue');

-- Revenue accounts: `shards` ledger accounts per signing entity; a payment goes to the shard
-- its customer falls on (customer id modulo the shard count), reports sum them.
CREATE TABLE revenue_accounts (
    signing_entity TEXT NOT NULL,
    shard          SMALLINT NOT NULL CHECK (shard >= 0),
    account_id     BIGINT NOT NULL UNIQUE REFERENCES ledger_accounts (id),
    PRIMARY KEY (signing_entity, shard)
);

-- rule P1: what customers can buy. Prices carry 8 decimals (B1); a term without a price is not
-- offered. The tax rate is what invoices of the product use (B5).
CREATE TABLE products (
    id             BIGSERIAL PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9.-]{1,39}$'),
    name_en        TEXT NOT NULL CHECK (char_length(name_en) BETWEEN 1 AND 120),
    name_zh        TEXT NOT NULL CHECK (char_length(name_zh) BETWEEN 1 AND 120),
    service_code   TEXT NOT NULL REFERENCES cloud_services (code),
    monthly_price  NUMERIC(20,8) CHECK (monthly_price > 0),
    yearly_price   NUMERIC(20,8) CHECK (yearly_price > 0),
    tax_rate       SMALLINT NOT NULL CHECK (tax_rate IN (6, 13)),
    needs_review   BOOLEAN NOT NULL DEFAULT FALSE,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (monthly_price IS NOT NULL OR yearly_price IS NOT NULL)
);

-- rule P1: a customer's subscription order. `price` is the list price (8 decimals) when it was
-- ordered, `amount` what is charged: truncated toward zero to the cent, `cut_off` the rest (B1).
-- The partner and association type are those of the moment it was ordered; `manager_id` the
-- manager who held the customer when it was paid (C5). `pay_request` is the 代付 state (P2).
CREATE TABLE orders (
    id                BIGSERIAL PRIMARY KEY,
    customer_id       BIGINT NOT NULL REFERENCES customers (id),
    partner_id        BIGINT REFERENCES organizations (id),
    association_type  TEXT CHECK (association_type IN ('resale', 'advisory')),
    signing_entity    TEXT NOT NULL,
    product_id        BIGINT NOT NULL REFERENCES products (id),
    term              TEXT NOT NULL CHECK (term IN ('month', 'year')),
    price             NUMERIC(20,8) NOT NULL CHECK (price > 0),
    amount            NUMERIC(20,2) NOT NULL CHECK (amount > 0),
    cut_off           NUMERIC(20,8) NOT NULL DEFAULT 0 CHECK (cut_off >= 0 AND cut_off < 0.01),
    state             TEXT NOT NULL CHECK (state IN ('pending_review', 'pending_payment',
                          'processing', 'completed', 'cancelled')),
    -- 代付 (P2): NULL, or the partner was asked ('requested'), paid ('paid') or refused ('rejected').
    pay_request       TEXT CHECK (pay_request IN ('requested', 'paid', 'rejected')),
    pay_requested_at  TIMESTAMPTZ,
    -- Who paid: the customer itself or its partner (代付).
    payer             TEXT CHECK (payer IN ('customer', 'partner')),
    paid_at           TIMESTAMPTZ,
    paid_by           BIGINT REFERENCES users (id),
    manager_id        BIGINT REFERENCES users (id),
    term_start        DATE,
    term_end          DATE,
    -- Why a review or a 代付 request was refused, or why the order was cancelled.
    reason            TEXT NOT NULL DEFAULT '' CHECK (char_length(reason) <= 500),
    -- What has been refunded (P3), at most the amount.
    refunded          NUMERIC(20,2) NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= amount),
    unsubscribed_at   TIMESTAMPTZ,
    -- The ordering form's key: a double submit finds its order here.
    create_key        TEXT NOT NULL UNIQUE,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((payer IS NULL) = (paid_at IS NULL)),
    CHECK ((term_start IS NULL) = (term_end IS NULL))
);
CREATE INDEX orders_customer_idx ON orders (customer_id, id DESC);
CREATE INDEX orders_partner_idx ON orders (partner_id, id DESC);
CREATE INDEX orders_partner_request_idx ON orders (partner_id, pay_request, id DESC)
    WHERE pay_request IS NOT NULL;
CREATE INDEX orders_partner_manager_idx ON orders (partner_id, manager_id, id DESC);
-- The jobs: provisioning completes `processing`, unpaid orders are cancelled after 7 days.
CREATE INDEX orders_open_idx ON orders (state, created_at)
    WHERE state IN ('processing', 'pending_payment', 'pending_review');

-- How an order was paid (K7): one row per source, each with its ledger transfer, so a refund
-- (P3) reverses exactly what came from where. `refunded` is what went back to the source,
-- `forfeited` a voucher share that could not return because the voucher had ended.
CREATE TABLE order_payments (
    id           BIGSERIAL PRIMARY KEY,
    order_id     BIGINT NOT NULL REFERENCES orders (id),
    source       TEXT NOT NULL CHECK (source IN ('voucher', 'cash_coupon', 'balance', 'credit',
                     'partner_cash')),
    coupon_id    BIGINT REFERENCES coupons (id),
    transfer_id  BIGINT NOT NULL UNIQUE REFERENCES ledger_transfers (id),
    amount       NUMERIC(20,2) NOT NULL CHECK (amount > 0),
    refunded     NUMERIC(20,2) NOT NULL DEFAULT 0 CHECK (refunded >= 0),
    forfeited    NUMERIC(20,2) NOT NULL DEFAULT 0 CHECK (forfeited >= 0),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (refunded + forfeited <= amount),
    CHECK ((source IN ('voucher', 'cash_coupon')) = (coupon_id IS NOT NULL))
);
CREATE INDEX order_payments_order_idx ON order_payments (order_id, id);
CREATE INDEX order_payments_coupon_idx ON order_payments (coupon_id) WHERE coupon_id IS NOT NULL;

-- What a customer owes (SPEC §6 "Settlement"): credit used by an order or a bill ('credit':
-- repaying moves money from the balance back to the credit line), or the unpaid rest of a
-- bill ('unpaid': repaying moves money from the balance to revenue). Due at the end of the
-- month after it arose; open past `due_on`, the customer is in arrears (欠费). Money reaching
-- the balance repays the oldest open debt first.
CREATE TABLE debts (
    id           BIGSERIAL PRIMARY KEY,
    customer_id  BIGINT NOT NULL REFERENCES customers (id),
    kind         TEXT NOT NULL CHECK (kind IN ('credit', 'unpaid')),
    order_id     BIGINT REFERENCES orders (id),
    bill_id      BIGINT REFERENCES bills (id),
    amount       NUMERIC(20,2) NOT NULL CHECK (amount > 0),
    repaid       NUMERIC(20,2) NOT NULL DEFAULT 0 CHECK (repaid >= 0 AND repaid <= amount),
    due_on       DATE NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    settled_at   TIMESTAMPTZ,
    CHECK ((order_id IS NULL) <> (bill_id IS NULL)),
    CHECK ((settled_at IS NOT NULL) = (repaid = amount))
);
CREATE INDEX debts_open_idx ON debts (customer_id, created_at, id) WHERE settled_at IS NULL;
CREATE INDEX debts_overdue_idx ON debts (due_on, customer_id) WHERE settled_at IS NULL;
CREATE INDEX debts_order_idx ON debts (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX debts_bill_idx ON debts (bill_id) WHERE bill_id IS NOT NULL;

-- rule P4: a partner's request to take money out. The amount moves to the partner's hold
-- account when requested (`hold_transfer_id`), out of the platform when approved, back when
-- rejected or cancelled (`release_transfer_id`).
CREATE TABLE withdrawals (
    id                   BIGSERIAL PRIMARY KEY,
    partner_id           BIGINT NOT NULL REFERENCES organizations (id),
    amount               NUMERIC(20,2) NOT NULL CHECK (amount > 0),
    state                TEXT NOT NULL DEFAULT 'pending'
                         CHECK (state IN ('pending', 'approved', 'rejected', 'cancelled')),
    hold_transfer_id     BIGINT NOT NULL UNIQUE REFERENCES ledger_transfers (id),
    release_transfer_id  BIGINT UNIQUE REFERENCES ledger_transfers (id),
    reason               TEXT NOT NULL DEFAULT '' CHECK (char_length(reason) <= 500),
    request_key          TEXT NOT NULL UNIQUE,
    requested_by         BIGINT REFERENCES users (id),
    decided_by           BIGINT REFERENCES users (id),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at           TIMESTAMPTZ,
    CHECK ((state = 'pending') = (decided_at IS NULL))
);
CREATE INDEX withdrawals_partner_idx ON withdrawals (partner_id, id DESC);
CREATE INDEX withdrawals_pending_idx ON withdrawals (id) WHERE state = 'pending';
