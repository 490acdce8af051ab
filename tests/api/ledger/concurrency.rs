//! SPEC §4 "cannot take a balance below zero, also under concurrent requests": 1,000 tasks
//! over real connections race to drain one account; 100 replays of one key race each other.

use std::collections::HashSet;

use partner_center::ledger::{self, LedgerError};
use rust_decimal::Decimal;

use crate::ledger::helpers::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_transfers_never_overdraw_and_each_accepted_one_is_there_once() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    // Destinations on both sides of the source's id, so lock order really is exercised.
    let mut targets: Vec<i64> = (0..5).map(|_| open_account(&mut conn)).collect();
    let source = open_account(&mut conn);
    targets.extend((0..5).map(|_| open_account(&mut conn)));
    fund(&mut conn, source, "250.00");
    drop(conn);

    let mut tasks = Vec::new();
    for i in 0..1000u32 {
        let pool = l.pool.clone();
        let to = targets[i as usize % targets.len()];
        // 0.01 … 1.00: together 505.00, about twice what the source holds.
        let amount = Decimal::new(i64::from(i % 100 + 1), 2);
        tasks.push(tokio::spawn(async move {
            tokio::task::spawn_blocking(move || {
                let mut conn = pool.get().expect("connection");
                let key = format!("drain-{i}");
                let result = move_money(&mut conn, source, to, &amount.to_string(), &key);
                (key, amount, result)
            })
            .await
            .expect("task")
        }));
    }
    let mut accepted = Vec::new();
    let mut refused = Vec::new();
    for t in tasks {
        let (key, amount, result) = t.await.unwrap();
        match result {
            Ok(transfer) => accepted.push((key, amount, transfer)),
            Err(LedgerError::InsufficientFunds { available }) => {
                assert!(
                    available < amount,
                    "refused {amount} with {available} available"
                );
                refused.push((key, amount));
            }
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    assert_eq!(accepted.len() + refused.len(), 1000);
    assert!(!accepted.is_empty() && !refused.is_empty());

    let mut conn = l.conn();
    let spent: Decimal = accepted.iter().map(|(_, a, _)| *a).sum();
    let left = balance(&mut conn, source);
    assert!(left >= Decimal::ZERO, "overdrawn: {left}");
    assert_eq!(left, dec("250.00") - spent);
    assert_eq!(left, entries_sum(&mut conn, source));
    // Every refusal came when the balance was below its amount, and balances only fell since.
    let smallest_refused = refused.iter().map(|(_, a)| *a).min().unwrap();
    assert!(
        left < smallest_refused,
        "{left} left, yet {smallest_refused} was refused"
    );

    // Every accepted transfer exactly once, with its own key; no refused key was written.
    let ids: HashSet<i64> = accepted.iter().map(|(_, _, t)| t.id).collect();
    assert_eq!(ids.len(), accepted.len());
    let src = format!("FROM ledger_transfers WHERE from_account_id = {source}");
    assert_eq!(
        l.count(&format!("SELECT count(*) AS n {src}")),
        accepted.len() as i64
    );
    assert_eq!(
        l.count(&format!(
            "SELECT count(DISTINCT idempotency_key) AS n {src}"
        )),
        accepted.len() as i64
    );
    for (key, amount, t) in &accepted {
        assert_eq!(&t.idempotency_key, key);
        assert_eq!(&t.amount, amount);
    }
    let refused_keys: Vec<String> = refused.iter().map(|(k, _)| format!("'{k}'")).collect();
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM ledger_transfers WHERE idempotency_key IN ({})",
            refused_keys.join(",")
        )),
        0
    );
    let received: Decimal = targets.iter().map(|t| balance(&mut conn, *t)).sum();
    assert_eq!(received, spent);
    assert!(ledger::verify::run(&mut conn).unwrap().ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn replaying_one_key_a_hundred_times_concurrently_creates_one_transfer() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let from = open_account(&mut conn);
    let to = open_account(&mut conn);
    fund(&mut conn, from, "100.00");
    let audit_before = l.count("SELECT count(*) AS n FROM audit_log");
    drop(conn);

    let mut tasks = Vec::new();
    for _ in 0..100 {
        let pool = l.pool.clone();
        tasks.push(tokio::spawn(async move {
            tokio::task::spawn_blocking(move || {
                let mut conn = pool.get().expect("connection");
                move_money(&mut conn, from, to, "30.00", "the-one-key")
            })
            .await
            .expect("task")
        }));
    }
    let mut ids = HashSet::new();
    for t in tasks {
        ids.insert(
            t.await
                .unwrap()
                .expect("every replay answers with the transfer")
                .id,
        );
    }
    assert_eq!(ids.len(), 1, "all replays return the same transfer");
    let mut conn = l.conn();
    assert_eq!(
        l.count("SELECT count(*) AS n FROM ledger_transfers WHERE idempotency_key = 'the-one-key'"),
        1
    );
    let id = *ids.iter().next().unwrap();
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM ledger_entries WHERE transfer_id = {id}"
        )),
        2
    );
    assert_eq!(balance(&mut conn, from), dec("70.00"));
    assert_eq!(balance(&mut conn, to), dec("30.00"));
    assert_eq!(
        l.count("SELECT count(*) AS n FROM audit_log"),
        audit_before + 1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn transfers_in_both_directions_between_two_accounts_never_deadlock() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let (a, b) = funded_pair(&mut conn, "100.00");
    fund(&mut conn, b, "100.00");
    drop(conn);
    let mut tasks = Vec::new();
    for i in 0..300 {
        let pool = l.pool.clone();
        let (from, to) = if i % 2 == 0 { (a, b) } else { (b, a) };
        tasks.push(tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("connection");
            move_money(&mut conn, from, to, "1.00", &format!("both-{i}"))
        }));
    }
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) | Err(LedgerError::InsufficientFunds { .. }) => {}
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    let mut conn = l.conn();
    assert_eq!(balance(&mut conn, a) + balance(&mut conn, b), dec("200.00"));
    assert_eq!(balance(&mut conn, a), entries_sum(&mut conn, a));
    assert!(ledger::verify::run(&mut conn).unwrap().ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reversals_of_one_transfer_reverse_it_once() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let (a, b) = funded_pair(&mut conn, "50.00");
    fund(&mut conn, b, "50.00");
    let original = move_money(&mut conn, a, b, "20.00", "to-reverse")
        .unwrap()
        .id;
    drop(conn);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let pool = l.pool.clone();
        tasks.push(tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().expect("connection");
            ledger::reverse(&mut conn, original, &format!("rev-{i}"), &actor())
        }));
    }
    let mut done = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => done += 1,
            Err(LedgerError::AlreadyReversed) => {}
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    assert_eq!(done, 1);
    let mut conn = l.conn();
    assert_eq!(balance(&mut conn, a), dec("50.00"));
    assert_eq!(balance(&mut conn, b), dec("50.00"));
}
