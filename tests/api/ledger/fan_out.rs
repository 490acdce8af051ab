//! The fan-out transfer: one source, many destinations, all or nothing; every leg an ordinary
//! transfer (two entries, its key, its audit row); replays move nothing; concurrent fan-outs
//! and plain transfers from one source never overdraw it.

use diesel::prelude::*;
use partner_center::ledger::{self, LedgerError, Leg, Transfer};
use rust_decimal::Decimal;

use crate::ledger::helpers::*;

/// Legs of `amounts` to `targets` (round robin), keyed `{prefix}-{i}`.
fn legs<'a>(keys: &'a [String], targets: &[i64], amounts: &[&str]) -> Vec<Leg<'a>> {
    keys.iter()
        .enumerate()
        .map(|(i, k)| Leg {
            to: targets[i % targets.len()],
            amount: money(amounts[i % amounts.len()]),
            idempotency_key: k,
            memo: "fan",
        })
        .collect()
}

fn keys(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i}")).collect()
}

fn fan_out(
    conn: &mut PgConnection,
    from: i64,
    legs: &[Leg<'_>],
) -> Result<Vec<Transfer>, LedgerError> {
    ledger::transfer_fan_out(conn, from, legs, "test", &actor())
}

/// The account's entries in id order whose `balance_after` is not the running sum.
fn broken_running_balances(l: &LedgerDb, account: i64) -> i64 {
    l.count(&format!(
        "SELECT count(*) AS n FROM (SELECT balance_after, \
           sum(amount) OVER (ORDER BY id ROWS UNBOUNDED PRECEDING) AS running \
         FROM ledger_entries WHERE account_id = {account}) e WHERE balance_after <> running"
    ))
}

#[tokio::test]
async fn a_fan_out_moves_exactly_the_total_as_ordinary_transfers_and_verifies() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    // Destinations on both sides of the source's id: the lock order is exercised.
    let mut targets: Vec<i64> = (0..20).map(|_| open_account(&mut conn)).collect();
    let source = open_account(&mut conn);
    targets.extend((0..20).map(|_| open_account(&mut conn)));
    fund(&mut conn, source, "1000.00");
    let ks = keys("fan", 40);
    let amounts = ["1.00", "2.50", "0.01", "10.00"];
    let ls = legs(&ks, &targets, &amounts);
    let (transfers_before, entries_before, audit_before) = footprint(&l);

    let done = fan_out(&mut conn, source, &ls).expect("the fan-out moves");

    let total: Decimal = ls.iter().map(|l| l.amount.amount()).sum();
    assert_eq!(balance(&mut conn, source), dec("1000.00") - total);
    assert_eq!(balance(&mut conn, source), entries_sum(&mut conn, source));
    assert_eq!(done.len(), 40);
    for ((t, leg), target) in done.iter().zip(&ls).zip(&targets) {
        assert_eq!(t.idempotency_key, leg.idempotency_key, "in leg order");
        assert_eq!((t.from_account_id, t.to_account_id), (source, *target));
        assert_eq!(t.amount, leg.amount.amount());
        assert_eq!(balance(&mut conn, *target), leg.amount.amount());
        assert_eq!(
            l.count(&format!(
                "SELECT count(*) AS n FROM ledger_entries WHERE account_id = {target} \
                 AND transfer_id = {} AND balance_after = amount",
                t.id
            )),
            1,
            "each destination has its one entry"
        );
    }
    assert!(
        done.windows(2).all(|w| w[0].id < w[1].id),
        "ids in leg order"
    );
    assert_eq!(
        footprint(&l),
        (
            transfers_before + 40,
            entries_before + 80,
            audit_before + 40
        ),
        "a transfer, two entries and an audit row per leg"
    );
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM audit_log a JOIN ledger_transfers t \
               ON a.action = 'ledger.transfer' AND a.subject_type = 'transfer' \
              AND a.subject_id = t.id::text \
             WHERE t.from_account_id = {source} AND a.after->>'amount' = t.amount::text \
               AND (a.after->>'to')::bigint = t.to_account_id AND a.after->>'memo' = 'fan'"
        )),
        40
    );
    assert_eq!(broken_running_balances(&l, source), 0);
    // A second fan-out continues the source's running balance.
    let more = keys("fan-more", 3);
    fan_out(&mut conn, source, &legs(&more, &targets, &["5.00"])).unwrap();
    assert_eq!(broken_running_balances(&l, source), 0);
    assert!(ledger::verify::run(&mut conn).unwrap().ok());
}

#[tokio::test]
async fn a_fan_out_the_source_cannot_cover_in_total_writes_nothing() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let source = open_account(&mut conn);
    fund(&mut conn, source, "10.00");
    let targets: Vec<i64> = (0..3).map(|_| open_account(&mut conn)).collect();
    let before = footprint(&l);
    // Each leg alone is covered; the three together (10.50) are not.
    let ks = keys("short", 3);
    let err = fan_out(&mut conn, source, &legs(&ks, &targets, &["3.50"])).unwrap_err();
    assert!(
        matches!(err, LedgerError::InsufficientFunds { available } if available == dec("10.00")),
        "{err:?}"
    );
    assert_eq!(footprint(&l), before);
    assert_eq!(balance(&mut conn, source), dec("10.00"));
    // Exactly the balance is fine.
    let ok = keys("exact", 2);
    fan_out(&mut conn, source, &legs(&ok, &targets, &["5.00"])).unwrap();
    assert_eq!(balance(&mut conn, source), Decimal::ZERO);
}

#[tokio::test]
async fn a_frozen_or_unknown_destination_or_a_leg_to_the_source_refuses_the_whole_call() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let source = open_account(&mut conn);
    fund(&mut conn, source, "100.00");
    let targets: Vec<i64> = (0..4).map(|_| open_account(&mut conn)).collect();
    let before = footprint(&l);
    diesel::sql_query(format!(
        "UPDATE ledger_accounts SET frozen = true WHERE id = {}",
        targets[2]
    ))
    .execute(&mut conn)
    .unwrap();
    let ks = keys("frozen", 4);
    assert!(matches!(
        fan_out(&mut conn, source, &legs(&ks, &targets, &["1.00"])),
        Err(LedgerError::Frozen)
    ));
    let unknown = [targets[0], 987_654_321];
    assert!(matches!(
        fan_out(&mut conn, source, &legs(&ks[..2], &unknown, &["1.00"])),
        Err(LedgerError::UnknownAccount)
    ));
    let to_self = [targets[0], source];
    assert!(matches!(
        fan_out(&mut conn, source, &legs(&ks[..2], &to_self, &["1.00"])),
        Err(LedgerError::SameAccount)
    ));
    assert_eq!(footprint(&l), before);
    assert_eq!(balance(&mut conn, source), dec("100.00"));
}

#[tokio::test]
async fn a_replay_moves_nothing_and_a_changed_leg_is_a_key_conflict() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let source = open_account(&mut conn);
    fund(&mut conn, source, "100.00");
    let targets: Vec<i64> = (0..3).map(|_| open_account(&mut conn)).collect();
    let ks = keys("replay", 3);
    let first = fan_out(&mut conn, source, &legs(&ks, &targets, &["2.00"])).unwrap();
    let after_first = footprint(&l);

    let again = fan_out(&mut conn, source, &legs(&ks, &targets, &["2.00"])).unwrap();
    assert_eq!(again, first, "the replay answers with the same transfers");
    assert_eq!(footprint(&l), after_first, "and moves nothing");

    // One leg changed: the whole call is refused, the new leg included.
    let mut changed_keys = ks.clone();
    changed_keys.push("replay-new".into());
    let mut changed = legs(&changed_keys, &targets, &["2.00"]);
    changed[1].amount = money("2.01");
    assert!(matches!(
        fan_out(&mut conn, source, &changed),
        Err(LedgerError::KeyConflict)
    ));
    // A key twice in one call is refused too.
    let twice = vec![ks[0].clone(), ks[0].clone()];
    assert!(matches!(
        fan_out(&mut conn, source, &legs(&twice, &targets, &["2.00"])),
        Err(LedgerError::KeyConflict)
    ));
    assert_eq!(footprint(&l), after_first);
    assert_eq!(balance(&mut conn, source), dec("94.00"));
}

#[tokio::test]
async fn a_call_mixing_replayed_and_new_legs_moves_only_the_new_ones() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let source = open_account(&mut conn);
    fund(&mut conn, source, "10.00");
    let targets: Vec<i64> = (0..3).map(|_| open_account(&mut conn)).collect();
    let ks = keys("mix", 3);
    let mut all = legs(&ks, &targets, &["4.00"]);
    for leg in &mut all {
        leg.memo = ""; // as the plain transfer below
    }
    all[2].amount = money("2.00");
    // The first two legs went before, one as a plain transfer, one in a fan-out.
    let plain = move_money(&mut conn, source, targets[0], "4.00", &ks[0]).unwrap();
    let fanned = fan_out(&mut conn, source, &all[1..2]).unwrap();
    let before = footprint(&l);
    // 2.00 left: the two replayed legs need nothing, the new one 2.00.
    let done = fan_out(&mut conn, source, &all).unwrap();
    assert_eq!(done[0], plain);
    assert_eq!(done[1], fanned[0]);
    assert_eq!(done[2].amount, dec("2.00"));
    assert_eq!(footprint(&l), (before.0 + 1, before.1 + 2, before.2 + 1));
    assert_eq!(balance(&mut conn, source), Decimal::ZERO);
    assert_eq!(broken_running_balances(&l, source), 0);
    assert!(ledger::verify::run(&mut conn).unwrap().ok());
}

#[tokio::test]
async fn chunked_fan_outs_in_one_transaction_roll_back_together() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let source = open_account(&mut conn);
    fund(&mut conn, source, "10.00");
    let targets: Vec<i64> = (0..4).map(|_| open_account(&mut conn)).collect();
    let before = footprint(&l);
    let ks = keys("chunk", 4);
    let ls = legs(&ks, &targets, &["3.00"]);
    let outcome = conn.transaction(|conn| -> Result<(), LedgerError> {
        fan_out(conn, source, &ls[..2])?;
        // The second chunk finds 4.00 left for its 6.00.
        let err = fan_out(conn, source, &ls[2..]).unwrap_err();
        assert!(
            matches!(err, LedgerError::InsufficientFunds { available } if available == dec("4.00"))
        );
        Err(err)
    });
    assert!(outcome.is_err());
    assert_eq!(
        footprint(&l),
        before,
        "the first chunk rolled back with the second"
    );
    assert_eq!(balance(&mut conn, source), dec("10.00"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_fan_outs_and_transfers_from_one_source_never_overdraw_it() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let mut targets: Vec<i64> = (0..6).map(|_| open_account(&mut conn)).collect();
    let source = open_account(&mut conn);
    targets.extend((0..6).map(|_| open_account(&mut conn)));
    fund(&mut conn, source, "60.00");
    drop(conn);

    // 20 tasks over a pool of 10: even ones fan out 5 legs of 1.00 each (5.00), odd ones move
    // 3.00 in one transfer; together 80.00 for a source holding 60.00.
    let mut tasks = Vec::new();
    for i in 0..20usize {
        let pool = l.pool.clone();
        let targets = targets.clone();
        tasks.push(tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("connection");
            if i % 2 == 0 {
                let ks = keys(&format!("race-{i}"), 5);
                // Each fan-out pays a different window of targets, some below the source.
                let mine: Vec<i64> = (0..5).map(|j| targets[(i + j) % targets.len()]).collect();
                let res = fan_out(&mut conn, source, &legs(&ks, &mine, &["1.00"]));
                (dec("5.00"), res.map(|t| t.len()))
            } else {
                let to = targets[i % targets.len()];
                let res = move_money(&mut conn, source, to, "3.00", &format!("race-{i}"));
                (dec("3.00"), res.map(|_| 1))
            }
        }));
    }
    let mut spent = Decimal::ZERO;
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            (amount, Ok(_)) => spent += amount,
            (amount, Err(LedgerError::InsufficientFunds { available })) => {
                assert!(available < amount, "refused {amount} with {available}");
                refused += 1;
            }
            (_, Err(other)) => panic!("unexpected error: {other:?}"),
        }
    }
    assert!(refused > 0, "80.00 asked of 60.00");
    let mut conn = l.conn();
    let left = balance(&mut conn, source);
    assert!(left >= Decimal::ZERO, "overdrawn: {left}");
    assert_eq!(left, dec("60.00") - spent);
    assert_eq!(left, entries_sum(&mut conn, source));
    let received: Decimal = targets.iter().map(|t| balance(&mut conn, *t)).sum();
    assert_eq!(received, spent);
    assert_eq!(broken_running_balances(&l, source), 0);
    assert!(ledger::verify::run(&mut conn).unwrap().ok());
}
