-- Coupon distribution (rules K1–K7, C6): the services a grant or coupon may be limited to,
-- quota grants (several per partner and kind, each with its own ledger account), operators'
-- adjustments awaiting approval, and coupons (each with its own ledger account).

-- Cloud services: the usage scope of grants and coupons; the orders' catalog refers to them.
CREATE TABLE cloud_services (
    code     TEXT PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9]{1,15}$'),
    name_en  TEXT NOT NULL,
    name_zh  TEXT NOT NULL
);
INSERT INTO cloud_services (code, name_en, name_zh) VALUES
    ('ECS', 'Elastic Cloud Server', '弹性云服务器'),
    ('EVS', 'Elastic Volume Service', '云硬盘'),
    ('OBS', 'Object Storage Service', '对象存储服务'),
    ('RDS', 'Relational Database Service', '云数据库 RDS'),
    ('DCS', 'Distributed Cache Service', '分布式缓存服务'),
    ('VPC', 'Virtual Private Cloud', '虚拟私有云'),
    ('EIP', 'Elastic IP', '弹性公网IP'),
    ('ELB', 'Elastic Load Balance', '弹性负载均衡'),
    ('CDN', 'Content Delivery Network', '内容分发网络'),
    ('CCE', 'Cloud Container Engine', '云容器引擎'),
    ('WAF', 'Web Application Firewall', 'Web应用防火墙'),
    ('DWS', 'Data Warehouse Service', '数据仓库服务');

-- Quota accounts are one per grant now, not one per organisation and kind (SPEC §5 "Quota
-- grants"); partner cash and customer accounts keep theirs.
DROP INDEX ledger_accounts_owner_kind_key;
CREATE UNIQUE INDEX ledger_accounts_owner_kind_key
    ON ledger_accounts (kind, COALESCE(owner_org_id, 0), COALESCE(owner_customer_id, 0))
    WHERE kind NOT IN ('coupon', 'voucher_quota', 'cash_coupon_quota');

-- rule K1, K2a: a quota the platform granted to a partner, or (parent_id set) the part of a
-- distributor's grant passed to one of its resellers, which keeps the parent's validity and
-- scope. Only `normal` issues. `amount` is what was granted (adjustments change it); what is
-- left is the balance of `account_id`.
CREATE TABLE quota_grants (
    id                  BIGSERIAL PRIMARY KEY,
    partner_id          BIGINT NOT NULL REFERENCES organizations (id),
    kind                TEXT NOT NULL CHECK (kind IN ('voucher', 'cash_coupon')),
    parent_id           BIGINT REFERENCES quota_grants (id),
    account_id          BIGINT NOT NULL UNIQUE REFERENCES ledger_accounts (id),
    amount              NUMERIC(20,2) NOT NULL CHECK (amount >= 0),
    valid_from          DATE NOT NULL,
    valid_until         DATE NOT NULL,
    -- Service codes; empty means every service (at most 10, rule K2).
    scope               TEXT[] NOT NULL DEFAULT '{}' CHECK (cardinality(scope) <= 10),
    -- rule K5: a cash coupon's invoice goes only to the coupon's user.
    invoice_restricted  BOOLEAN NOT NULL DEFAULT FALSE,
    state               TEXT NOT NULL DEFAULT 'normal'
                        CHECK (state IN ('normal', 'frozen', 'adjusting', 'invalid')),
    remark              TEXT NOT NULL DEFAULT '' CHECK (char_length(remark) <= 256),
    created_by          BIGINT REFERENCES users (id),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (valid_from <= valid_until),
    CHECK (kind = 'cash_coupon' OR NOT invoice_restricted)
);
CREATE INDEX quota_grants_partner_idx ON quota_grants (partner_id, kind, id);
-- One passed grant per parent and reseller: passing again adds to it.
CREATE UNIQUE INDEX quota_grants_parent_partner_key ON quota_grants (parent_id, partner_id)
    WHERE parent_id IS NOT NULL;
CREATE INDEX quota_grants_valid_until_idx ON quota_grants (valid_until) WHERE state <> 'invalid';

-- rule K2a: an operator's change of a grant's amount waits for approval; meanwhile the grant
-- is `adjusting` and issues nothing.
CREATE TABLE quota_adjustments (
    id            BIGSERIAL PRIMARY KEY,
    grant_id      BIGINT NOT NULL REFERENCES quota_grants (id),
    delta         NUMERIC(20,2) NOT NULL CHECK (delta <> 0),
    remark        TEXT NOT NULL DEFAULT '' CHECK (char_length(remark) <= 256),
    state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
    proposed_by   BIGINT REFERENCES users (id),
    decided_by    BIGINT REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at    TIMESTAMPTZ
);
CREATE UNIQUE INDEX quota_adjustments_pending_key ON quota_adjustments (grant_id) WHERE state = 'pending';

-- rule K2: a voucher (代金券) or cash coupon (现金券) issued from a grant to a customer. Never
-- edited: its balance is its ledger account's; recovery and expiry move it back to its grant.
CREATE TABLE coupons (
    id                  BIGSERIAL PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('voucher', 'cash_coupon')),
    customer_id         BIGINT NOT NULL REFERENCES customers (id),
    partner_id          BIGINT NOT NULL REFERENCES organizations (id),
    grant_id            BIGINT NOT NULL REFERENCES quota_grants (id),
    account_id          BIGINT NOT NULL UNIQUE REFERENCES ledger_accounts (id),
    face_value          NUMERIC(20,2) NOT NULL CHECK (face_value > 0),
    valid_from          DATE NOT NULL,
    valid_until         DATE NOT NULL,
    scope               TEXT[] NOT NULL DEFAULT '{}' CHECK (cardinality(scope) <= 10),
    invoice_restricted  BOOLEAN NOT NULL DEFAULT FALSE,
    state               TEXT NOT NULL DEFAULT 'usable'
                        CHECK (state IN ('usable', 'used', 'expired', 'recovered')),
    -- The issuing form's key and the customer: a double submit finds its coupon here.
    issue_key           TEXT NOT NULL UNIQUE,
    remark              TEXT NOT NULL DEFAULT '' CHECK (char_length(remark) <= 256),
    issued_by           BIGINT REFERENCES users (id),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    ended_at            TIMESTAMPTZ,
    CHECK (valid_from <= valid_until)
);
-- The partner's list, newest first, and its filters (state, customer, grant, expiring).
CREATE INDEX coupons_partner_idx ON coupons (partner_id, id DESC);
CREATE INDEX coupons_partner_state_idx ON coupons (partner_id, state, id DESC);
CREATE INDEX coupons_customer_idx ON coupons (customer_id, kind, id DESC);
CREATE INDEX coupons_grant_idx ON coupons (grant_id, id DESC);
CREATE INDEX coupons_usable_until_idx ON coupons (partner_id, valid_until, id) WHERE state = 'usable';
CREATE INDEX coupons_expiry_idx ON coupons (valid_until) WHERE state = 'usable';
