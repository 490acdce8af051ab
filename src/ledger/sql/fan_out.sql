-- A fan-out: one source account pays many destinations, each leg its own transfer, in one
-- statement (SPEC §4 "Correct money"). The legs are new (the caller answered replayed keys
-- before). In order:
--   legs     the arrays, one row per leg in the caller's order (n);
--   locked   the source and every destination, locked in id order (ORDER BY runs before
--            FOR UPDATE), the same order `transfer.sql` locks its pair, so fan-outs and plain
--            transfers never deadlock; each locked row is its latest committed version;
--   verdict  the first reason to refuse the whole call, or 'ok'; the source must cover the
--            total of the legs;
--   t        one transfer per leg, ids in leg order; a key a concurrent call took meanwhile
--            is skipped (the caller sees fewer rows and decides), so everything below follows
--            the transfers actually written;
--   moved    what each account gains or loses in all: every account is updated once;
--   entries  two per transfer (the debit first); `balance_after` is each account's running
--            balance in entry-id order: its new balance less what its later entries move;
--   audit    one `ledger.transfer` row per transfer, as `transfer.sql` writes (rule X1).
-- The CHECK constraint on ledger_accounts.balance backs the funds check.
-- Parameters: see `FanOutStatement::bind` in statement.rs.
WITH legs AS (
    SELECT *
    FROM unnest($3::bigint[], $4::numeric[], $5::text[], $6::text[], $7::text[], $12::jsonb[])
         WITH ORDINALITY AS l (to_id, amount, key, hash, memo, details, n)
), locked AS (
    SELECT id, balance, allow_negative, credit_limit, frozen, currency
    FROM ledger_accounts
    WHERE id = $2 OR id = ANY ($3::bigint[])
    ORDER BY id
    FOR UPDATE
), src AS (
    SELECT *, CASE WHEN NOT allow_negative THEN balance
                   WHEN credit_limit IS NOT NULL THEN balance + credit_limit END AS available
    FROM locked WHERE id = $2
), dst AS (
    SELECT * FROM locked WHERE id <> $2
), verdict AS (
    SELECT CASE
               WHEN NOT EXISTS (SELECT 1 FROM src)
                    OR (SELECT count(*) FROM dst) <> (SELECT count(DISTINCT to_id) FROM legs)
                   THEN 'unknown_account'
               WHEN (SELECT frozen FROM src) OR EXISTS (SELECT 1 FROM dst WHERE frozen)
                   THEN 'frozen'
               WHEN EXISTS (SELECT 1 FROM dst WHERE currency <> (SELECT currency FROM src))
                   THEN 'wrong_currency'
               WHEN (SELECT available FROM src) < (SELECT sum(amount) FROM legs)
                   THEN 'insufficient_funds'
               ELSE 'ok'
           END AS status,
           (SELECT available FROM src) AS available
), t AS (
    INSERT INTO ledger_transfers (kind, idempotency_key, request_hash, from_account_id,
                                  to_account_id, amount, memo, actor_user_id)
    SELECT $1, legs.key, legs.hash, $2, legs.to_id, legs.amount, legs.memo, $8
    FROM legs, verdict WHERE verdict.status = 'ok'
    ORDER BY legs.n
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id, idempotency_key, to_account_id, amount, created_at
), lines AS (
    SELECT t.id AS transfer_id, 0 AS side, $2::bigint AS account_id, -t.amount AS amount FROM t
    UNION ALL
    SELECT t.id, 1, t.to_account_id, t.amount FROM t
), moved AS (
    UPDATE ledger_accounts a SET balance = a.balance + m.delta
    FROM (SELECT account_id, sum(amount) AS delta FROM lines GROUP BY account_id) m
    WHERE a.id = m.account_id
    RETURNING a.id, a.balance
), entries AS (
    INSERT INTO ledger_entries (transfer_id, account_id, amount, balance_after)
    SELECT l.transfer_id, l.account_id, l.amount,
           moved.balance
             - sum(l.amount) OVER (PARTITION BY l.account_id)
             + sum(l.amount) OVER (PARTITION BY l.account_id ORDER BY l.transfer_id, l.side
                                   ROWS UNBOUNDED PRECEDING)
    FROM lines l JOIN moved ON moved.id = l.account_id
    ORDER BY l.transfer_id, l.side
), audit AS (
    INSERT INTO audit_log (actor_user_id, actor_email, org_id, action, subject_type, subject_id,
                           after, request_id, client_ip)
    SELECT $8, $9, $10, 'ledger.transfer', 'transfer', t.id::text, legs.details, $11, $13
    FROM t JOIN legs ON legs.key = t.idempotency_key
    ORDER BY t.id
)
SELECT verdict.status, verdict.available, t.id, t.idempotency_key, t.amount, t.created_at
FROM verdict LEFT JOIN t ON true
ORDER BY t.id
