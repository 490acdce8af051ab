-- An organisation's accounts (partner cash, hold, quota grants) by owner and kind. The index on
-- owner_org_id alone also held the 1M coupon and 200k customer accounts (owner NULL), and the
-- reseller list's join on (owner, 'partner_cash') walked all of it in a merge join (0.3-0.7 s
-- for a page past the first). Only organisation-owned rows, with the kind beside the owner.
DROP INDEX ledger_accounts_org_idx;
CREATE INDEX ledger_accounts_org_idx ON ledger_accounts (owner_org_id, kind)
    WHERE owner_org_id IS NOT NULL;
