-- The two entries of every bulk transfer, each with the account's balance after it.
INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after)
SELECT x.transfer_id, x.account_id, x.amount,
       a.balance + SUM(x.amount) OVER (PARTITION BY x.account_id ORDER BY x.transfer_id, x.amount)
FROM (
    SELECT t.id AS transfer_id, t.from_account_id AS account_id, -t.amount AS amount
    FROM ledger_transfers t WHERE t.kind = 'bulk'
    UNION ALL
    SELECT t.id, t.to_account_id, t.amount FROM ledger_transfers t WHERE t.kind = 'bulk'
) x
JOIN ledger_accounts a ON a.id = x.account_id
ORDER BY x.transfer_id
