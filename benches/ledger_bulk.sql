-- Enough transfers that the ledger reaches $1 entries (two per transfer): three in four come
-- from the external account, the fourth moves 0.50 between two cash accounts.
WITH cash AS (
    SELECT array_agg(id ORDER BY id) AS ids, count(*) AS n
    FROM ledger_accounts WHERE kind = 'partner_cash'
), ext AS (
    SELECT id FROM ledger_accounts WHERE kind = 'external'
), todo AS (
    SELECT GREATEST(0, ($1 - (SELECT count(*) FROM ledger_entries)) / 2) AS n
)
INSERT INTO ledger_transfers (kind, idempotency_key, request_hash, from_account_id,
                              to_account_id, amount, memo)
SELECT 'bulk', 'bulk-' || g, 'bulk',
       CASE WHEN g % 4 = 0 THEN cash.ids[g % cash.n + 1] ELSE ext.id END,
       CASE WHEN g % 4 = 0 THEN cash.ids[(g + 1) % cash.n + 1] ELSE cash.ids[g % cash.n + 1] END,
       CASE WHEN g % 4 = 0 THEN 0.50 ELSE 1.00 END,
       ''
FROM cash, ext, todo, generate_series(1, todo.n) g
