-- One transfer in one statement (SPEC §4 "Correct money"). In order:
--   prior    the idempotency key is already taken: the caller answers with that transfer;
--   locked   both accounts, locked in id order (ORDER BY runs before FOR UPDATE), so two
--            transfers over the same pair never deadlock; under READ COMMITTED a locked row
--            is re-read in its latest committed version, so every check sees current balances;
--   verdict  the first reason to refuse, or 'ok';
--   t … audit  only when 'ok': the transfer, both balances, both entries with the balance
--            after each, and the audit row (rule X1).
-- The CHECK constraint on ledger_accounts.balance backs the funds check.
-- Parameters: see `TransferStatement::bind` in statement.rs.
WITH prior AS (
    SELECT 1 FROM ledger_transfers WHERE idempotency_key = $2
), locked AS (
    SELECT id, balance, allow_negative, credit_limit, frozen, currency
    FROM ledger_accounts
    WHERE id IN ($4, $5) AND NOT EXISTS (SELECT 1 FROM prior)
    ORDER BY id
    FOR UPDATE
), src AS (
    SELECT *, CASE WHEN NOT allow_negative THEN balance
                   WHEN credit_limit IS NOT NULL THEN balance + credit_limit END AS available
    FROM locked WHERE id = $4
), dst AS (
    SELECT * FROM locked WHERE id = $5
), verdict AS (
    SELECT CASE
               WHEN EXISTS (SELECT 1 FROM prior) THEN 'exists'
               WHEN NOT EXISTS (SELECT 1 FROM src) OR NOT EXISTS (SELECT 1 FROM dst)
                   THEN 'unknown_account'
               WHEN (SELECT frozen FROM src) OR (SELECT frozen FROM dst) THEN 'frozen'
               WHEN (SELECT currency FROM src) <> (SELECT currency FROM dst) THEN 'wrong_currency'
               WHEN (SELECT available FROM src) < $6 THEN 'insufficient_funds'
               ELSE 'ok'
           END AS status,
           (SELECT available FROM src) AS available
), t AS (
    INSERT INTO ledger_transfers (kind, idempotency_key, request_hash, from_account_id,
                                  to_account_id, amount, memo, actor_user_id, reverses_id)
    SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 FROM verdict WHERE status = 'ok'
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id, amount, created_at
), debit AS (
    UPDATE ledger_accounts SET balance = balance - $6
    WHERE id = $4 AND EXISTS (SELECT 1 FROM t) RETURNING id, balance
), credit AS (
    UPDATE ledger_accounts SET balance = balance + $6
    WHERE id = $5 AND EXISTS (SELECT 1 FROM t) RETURNING id, balance
), entries AS (
    INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after)
    SELECT t.id, debit.id, -($6::numeric), debit.balance FROM t, debit
    UNION ALL
    SELECT t.id, credit.id, $6, credit.balance FROM t, credit
), audit AS (
    INSERT INTO audit_log (actor_user_id, actor_email, org_id, action, subject_type, subject_id,
                           after, request_id, client_ip)
    SELECT $8, $10, $11, 'ledger.transfer', 'transfer', t.id::text, $12, $13, $14 FROM t
)
SELECT verdict.status, verdict.available, t.id, t.amount, t.created_at
FROM verdict LEFT JOIN t ON true
