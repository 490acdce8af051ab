-- Incentives and their invoices (rules B8, P4). Operators record what the platform owes a
-- partner per period and kind; the partner applies for payout one by one or in a batch (one
-- payment request covering several periods); operators approve a request (approved, not yet
-- paid: P4's 未入账), pay it from the platform into the partner's cash, or reject it. Once
-- paid, the partner invoices the platform at 3% or 6%: a batch's incentives may share one
-- invoice, an incentive applied for on its own goes on an invoice of its own. Paid incentives
-- without a received invoice are P4's 欠票.

-- A payment request (申付单): `batch` says whether it was applied for in a batch. Its amount is
-- the sum of its incentives. Paid through one ledger transfer (platform → partner cash).
CREATE TABLE incentive_payouts (
    id               BIGSERIAL PRIMARY KEY,
    partner_id       BIGINT NOT NULL REFERENCES organizations (id),
    batch            BOOLEAN NOT NULL,
    amount           NUMERIC(20,2) NOT NULL CHECK (amount > 0),
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'approved', 'paid', 'rejected')),
    reason           TEXT NOT NULL DEFAULT '' CHECK (char_length(reason) <= 500),
    transfer_id      BIGINT UNIQUE REFERENCES ledger_transfers (id),
    -- The form's key with the incentives asked for: a double submit finds its request here.
    request_key      TEXT NOT NULL UNIQUE,
    requested_by     BIGINT REFERENCES users (id),
    -- The operator who last moved it (the audit log keeps every step).
    operator_id      BIGINT REFERENCES users (id),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    approved_at      TIMESTAMPTZ,
    paid_at          TIMESTAMPTZ,
    rejected_at      TIMESTAMPTZ,
    CHECK ((state = 'paid') = (transfer_id IS NOT NULL)),
    CHECK ((state = 'paid') = (paid_at IS NOT NULL)),
    CHECK ((state = 'rejected') = (rejected_at IS NOT NULL)),
    CHECK (state NOT IN ('approved', 'paid') OR approved_at IS NOT NULL)
);
CREATE INDEX incentive_payouts_partner_idx ON incentive_payouts (partner_id, id DESC);
-- rule P4: what is approved and not yet paid, per partner.
CREATE INDEX incentive_payouts_approved_idx ON incentive_payouts (partner_id)
    WHERE state = 'approved';
-- The operators' queue.
CREATE INDEX incentive_payouts_open_idx ON incentive_payouts (id DESC)
    WHERE state IN ('pending', 'approved');

-- An incentive invoice (rule B8): the partner invoices the platform for paid incentives of one
-- payment request, at 3% or 6%. `amount` is the sum of its incentives, tax included. The
-- optional e-invoice file is kept with it (a few MB at most).
CREATE TABLE incentive_invoices (
    id            BIGSERIAL PRIMARY KEY,
    partner_id    BIGINT NOT NULL REFERENCES organizations (id),
    payout_id     BIGINT NOT NULL REFERENCES incentive_payouts (id),
    number        TEXT NOT NULL CHECK (number ~ '^[A-Za-z0-9-]{1,40}$'),
    issued_on     DATE NOT NULL,
    tax_rate      SMALLINT NOT NULL CHECK (tax_rate IN (3, 6)),
    amount        NUMERIC(20,2) NOT NULL CHECK (amount > 0),
    file_type     TEXT CHECK (file_type IN ('pdf', 'ofd', 'png', 'jpg')),
    file_data     BYTEA,
    state         TEXT NOT NULL DEFAULT 'pending'
                  CHECK (state IN ('pending', 'received', 'rejected')),
    reason        TEXT NOT NULL DEFAULT '' CHECK (char_length(reason) <= 500),
    submit_key    TEXT NOT NULL UNIQUE,
    submitted_by  BIGINT REFERENCES users (id),
    decided_by    BIGINT REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at    TIMESTAMPTZ,
    CHECK ((file_type IS NULL) = (file_data IS NULL)),
    CHECK ((state = 'pending') = (decided_at IS NULL))
);
-- One live invoice per number and partner; a rejected one frees its number.
CREATE UNIQUE INDEX incentive_invoices_number_key ON incentive_invoices (partner_id, number)
    WHERE state <> 'rejected';
CREATE INDEX incentive_invoices_partner_idx ON incentive_invoices (partner_id, id DESC);
CREATE INDEX incentive_invoices_pending_idx ON incentive_invoices (id DESC)
    WHERE state = 'pending';

-- What the platform owes a partner for one period (the first day of its month) and kind.
-- `payout_id` is its live payment request (pending, approved or paid; cleared when rejected),
-- `invoice_id` its live invoice (pending or received; cleared when rejected), `invoiced_at`
-- when that invoice was received.
CREATE TABLE incentives (
    id           BIGSERIAL PRIMARY KEY,
    partner_id   BIGINT NOT NULL REFERENCES organizations (id),
    period       DATE NOT NULL CHECK (EXTRACT(DAY FROM period) = 1),
    kind         TEXT NOT NULL CHECK (kind IN ('sales', 'development', 'staff', 'nre')),
    amount       NUMERIC(20,2) NOT NULL CHECK (amount > 0),
    remark       TEXT NOT NULL DEFAULT '' CHECK (char_length(remark) <= 256),
    payout_id    BIGINT REFERENCES incentive_payouts (id),
    invoice_id   BIGINT REFERENCES incentive_invoices (id),
    invoiced_at  TIMESTAMPTZ,
    create_key   TEXT NOT NULL UNIQUE,
    created_by   BIGINT REFERENCES users (id),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (partner_id, period, kind),
    CHECK (invoice_id IS NULL OR payout_id IS NOT NULL),
    CHECK (invoiced_at IS NULL OR invoice_id IS NOT NULL)
);
CREATE INDEX incentives_partner_idx ON incentives (partner_id, id DESC);
CREATE INDEX incentives_period_idx ON incentives (period, id DESC);
CREATE INDEX incentives_payout_idx ON incentives (payout_id) WHERE payout_id IS NOT NULL;
CREATE INDEX incentives_invoice_idx ON incentives (invoice_id) WHERE invoice_id IS NOT NULL;
-- rule P4: a partner's incentives in payout that no received invoice covers yet.
CREATE INDEX incentives_uninvoiced_idx ON incentives (partner_id)
    WHERE payout_id IS NOT NULL AND invoiced_at IS NULL;

-- What each request and invoice covered, kept after a rejection frees the incentives.
CREATE TABLE incentive_payout_items (
    payout_id     BIGINT NOT NULL REFERENCES incentive_payouts (id),
    incentive_id  BIGINT NOT NULL REFERENCES incentives (id),
    PRIMARY KEY (payout_id, incentive_id)
);
CREATE INDEX incentive_payout_items_incentive_idx ON incentive_payout_items (incentive_id);

CREATE TABLE incentive_invoice_items (
    invoice_id    BIGINT NOT NULL REFERENCES incentive_invoices (id),
    incentive_id  BIGINT NOT NULL REFERENCES incentives (id),
    PRIMARY KEY (invoice_id, incentive_id)
);
CREATE INDEX incentive_invoice_items_incentive_idx ON incentive_invoice_items (incentive_id);
