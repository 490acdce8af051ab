-- The double-entry ledger (SPEC §4 "Correct money"): the only place balances change.
CREATE TABLE ledger_accounts (
    id                BIGSERIAL PRIMARY KEY,
    kind              TEXT NOT NULL CHECK (kind IN ('partner_cash', 'customer_balance', 'customer_credit',
                          'voucher_quota', 'cash_coupon_quota', 'coupon', 'platform', 'external')),
    owner_org_id      BIGINT REFERENCES organizations(id),
    owner_customer_id BIGINT REFERENCES customers(id),
    label             TEXT NOT NULL DEFAULT '',
    currency          CHAR(3) NOT NULL DEFAULT 'CNY',
    balance           NUMERIC(20,2) NOT NULL DEFAULT 0,
    allow_negative    BOOLEAN NOT NULL DEFAULT FALSE,
    -- For credit lines: how far below zero the balance may go; NULL means unbounded (external).
    credit_limit      NUMERIC(20,2),
    frozen            BOOLEAN NOT NULL DEFAULT FALSE,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (balance >= 0 OR (allow_negative AND (credit_limit IS NULL OR balance >= -credit_limit)))
);
-- One account of a kind per owner, except coupons (one account per coupon).
CREATE UNIQUE INDEX ledger_accounts_owner_kind_key
    ON ledger_accounts (kind, COALESCE(owner_org_id, 0), COALESCE(owner_customer_id, 0))
    WHERE kind <> 'coupon';
CREATE INDEX ledger_accounts_org_idx ON ledger_accounts (owner_org_id);
CREATE INDEX ledger_accounts_customer_idx ON ledger_accounts (owner_customer_id);

CREATE TABLE ledger_transfers (
    id              BIGSERIAL PRIMARY KEY,
    kind            TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    request_hash    TEXT NOT NULL,
    from_account_id BIGINT NOT NULL REFERENCES ledger_accounts(id),
    to_account_id   BIGINT NOT NULL REFERENCES ledger_accounts(id),
    amount          NUMERIC(20,2) NOT NULL CHECK (amount > 0),
    memo            TEXT NOT NULL DEFAULT '',
    actor_user_id   BIGINT,
    reverses_id     BIGINT REFERENCES ledger_transfers(id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (from_account_id <> to_account_id)
);
CREATE INDEX ledger_transfers_from_idx ON ledger_transfers (from_account_id, id);
CREATE INDEX ledger_transfers_to_idx ON ledger_transfers (to_account_id, id);

CREATE TABLE ledger_entries (
    id            BIGSERIAL PRIMARY KEY,
    transfer_id   BIGINT NOT NULL REFERENCES ledger_transfers(id),
    account_id    BIGINT NOT NULL REFERENCES ledger_accounts(id),
    amount        NUMERIC(20,2) NOT NULL CHECK (amount <> 0),
    balance_after NUMERIC(20,2) NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id, id);
CREATE INDEX ledger_entries_transfer_idx ON ledger_entries (transfer_id);

-- Corrections are new reversing transfers: entries and transfers are never changed.
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER ledger_transfers_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_transfers
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE TABLE ledger_verifications (
    id               BIGSERIAL PRIMARY KEY,
    started_at       TIMESTAMPTZ NOT NULL,
    finished_at      TIMESTAMPTZ NOT NULL,
    ok               BOOLEAN NOT NULL,
    accounts_checked BIGINT NOT NULL,
    entries_checked  BIGINT NOT NULL,
    problems         TEXT NOT NULL DEFAULT ''
);
