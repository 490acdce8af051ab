DROP INDEX ledger_accounts_org_idx;
CREATE INDEX ledger_accounts_org_idx ON ledger_accounts (owner_org_id);
