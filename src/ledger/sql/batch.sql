-- A batch: many transfers, each its own leg (source, destination, amount, kind, key), in one
-- statement (SPEC §4 "Correct money"). A fan-out is a batch whose legs share the source; a
-- payment is one whose legs share the destination. The legs are new (the caller answered
-- replayed keys before). In order:
--   legs     the arrays, one row per leg in the caller's order (n);
--   locked   every account of every leg, locked in id order (ORDER BY runs before FOR UPDATE),
--            the same order `transfer.sql` locks its pair, so batches and plain transfers
--            never deadlock; each locked row is its latest committed version;
--   verdict  the first reason to refuse the whole call, or 'ok'; each source must cover the
--            total of its legs (`available` then names the first source short of it);
--   t        one transfer per leg, ids in leg order; a key a concurrent call took meanwhile
--            is skipped (the caller sees fewer rows and decides), so everything below follows
--            the transfers actually written;
--   moved    what each account gains or loses in all: every account is updated once;
--   entries  two per transfer (the debit first); `balance_after` is each account's running
--            balance in entry-id order: its new balance less what its later entries move;
--   audit    one `ledger.transfer` row per transfer, as `transfer.sql` writes (rule X1).
-- The CHECK constraint on ledger_accounts.balance backs the funds check.
-- Parameters: see `BatchStatement::bind` in statement.rs.
WITH legs AS (
    SELECT *
    FROM unnest($2::bigint[], $3::bigint[], $4::numeric[], $1::text[], $5::text[], $6::text[],
                $7::text[], $12::jsonb[])
         WITH ORDINALITY AS l (from_id, to_id, amount, kind, key, hash, memo, details, n)
), locked AS (
    SELECT id, balance, allow_negative, credit_limit, frozen, currency,
           CASE WHEN NOT allow_negative THEN balance
                WHEN credit_limit IS NOT NULL THEN balance + credit_limit END AS available
    FROM ledger_accounts
    WHERE id = ANY ($2::bigint[]) OR id = ANY ($3::bigint[])
    ORDER BY id
    FOR UPDATE
), short AS (
    SELECT locked.available
    FROM (SELECT from_id, sum(amount) AS total, min(n) AS first FROM legs GROUP BY from_id) need
    JOIN locked ON locked.id = need.from_id
    WHERE locked.available < need.total
    ORDER BY need.first
    LIMIT 1
), verdict AS (
    SELECT CASE
               WHEN (SELECT count(*) FROM locked)
                    <> (SELECT count(*) FROM (SELECT from_id FROM legs UNION SELECT to_id FROM legs) a)
                   THEN 'unknown_account'
               WHEN EXISTS (SELECT 1 FROM locked WHERE frozen) THEN 'frozen'
               WHEN EXISTS (SELECT 1 FROM legs JOIN locked f ON f.id = legs.from_id
                                               JOIN locked d ON d.id = legs.to_id
                            WHERE f.currency <> d.currency)
                   THEN 'wrong_currency'
               WHEN EXISTS (SELECT 1 FROM short) THEN 'insufficient_funds'
               ELSE 'ok'
           END AS status,
           (SELECT available FROM short) AS available
), t AS (
    INSERT INTO ledger_transfers (kind, idempotency_key, request_hash, from_account_id,
                                  to_account_id, amount, memo, actor_user_id)
    SELECT legs.kind, legs.key, legs.hash, legs.from_id, legs.to_id, legs.amount, legs.memo, $8
    FROM legs, verdict WHERE verdict.status = 'ok'
    ORDER BY legs.n
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id, idempotency_key, from_account_id, to_account_id, amount, created_at
), lines AS (
    SELECT t.id AS transfer_id, 0 AS side, t.from_account_id AS account_id, -t.amount AS amount
    FROM t
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
