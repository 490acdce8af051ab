//! A batch: transfers from several sources in one statement (a payment's voucher, cash coupons
//! and balance into one revenue account), all or nothing; each source must cover its own legs;
//! the shared destination is updated once, and each entry's `balance_after` is the running
//! balance of its account.

use diesel::prelude::*;
use partner_center::ledger::{self, LedgerError, Transfer, TransferRequest};

use crate::ledger::helpers::*;

fn request<'a>(from: i64, to: i64, amount: &str, key: &'a str) -> TransferRequest<'a> {
    TransferRequest {
        from,
        to,
        amount: money(amount),
        kind: "test",
        idempotency_key: key,
        memo: "batch",
        reverses: None,
    }
}

/// The batch inside a transaction, as a payment runs it; rolled back when it is refused.
fn batch(
    conn: &mut PgConnection,
    reqs: &[TransferRequest<'_>],
) -> Result<Vec<Transfer>, LedgerError> {
    conn.transaction(|conn| ledger::transfer_all_in_transaction(conn, reqs, &actor()))
}

#[tokio::test]
async fn legs_from_several_sources_into_one_account_move_exactly_and_verify() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let first = open_account(&mut conn);
    let to = open_account(&mut conn);
    let second = open_account(&mut conn);
    fund(&mut conn, first, "10.00");
    fund(&mut conn, second, "5.00");
    fund(&mut conn, to, "1.00");
    let (transfers_before, entries_before, audit_before) = footprint(&l);

    let done = batch(
        &mut conn,
        &[
            request(first, to, "10.00", "pay-0"),
            request(second, to, "2.50", "pay-1"),
        ],
    )
    .expect("both legs move");

    assert_eq!(done.len(), 2);
    assert_eq!(
        (done[0].from_account_id, done[0].amount),
        (first, dec("10.00"))
    );
    assert_eq!(
        (done[1].from_account_id, done[1].amount),
        (second, dec("2.50"))
    );
    assert!(done[0].id < done[1].id, "transfers in request order");
    assert_eq!(balance(&mut conn, first), dec("0.00"));
    assert_eq!(balance(&mut conn, second), dec("2.50"));
    assert_eq!(balance(&mut conn, to), dec("13.50"));
    let (transfers, entries, audit) = footprint(&l);
    assert_eq!(transfers - transfers_before, 2, "one transfer per leg");
    assert_eq!(entries - entries_before, 4, "two entries per transfer");
    assert_eq!(
        audit - audit_before,
        2,
        "one audit row per transfer (rule X1)"
    );
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM ledger_entries WHERE account_id = {to} \
             AND transfer_id IN ({}, {}) AND balance_after IN (11.00, 13.50)",
            done[0].id, done[1].id
        )),
        2,
        "the shared destination's entries carry its running balance"
    );
    for account in [first, second, to] {
        assert_eq!(balance(&mut conn, account), entries_sum(&mut conn, account));
    }
    assert!(ledger::verify::run(&mut conn).unwrap().ok());
}

#[tokio::test]
async fn one_source_short_of_its_legs_refuses_the_whole_batch() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let rich = open_account(&mut conn);
    let poor = open_account(&mut conn);
    let to = open_account(&mut conn);
    fund(&mut conn, rich, "100.00");
    fund(&mut conn, poor, "3.00");
    let before = footprint(&l);

    // The poor source covers each leg alone but not the two together.
    let refused = batch(
        &mut conn,
        &[
            request(rich, to, "50.00", "short-0"),
            request(poor, to, "2.00", "short-1"),
            request(poor, to, "2.00", "short-2"),
        ],
    );

    match refused {
        Err(LedgerError::InsufficientFunds { available }) => {
            assert_eq!(
                available,
                dec("3.00"),
                "the short source's available amount"
            )
        }
        other => panic!("expected insufficient funds, got {other:?}"),
    }
    assert_eq!(footprint(&l), before, "nothing was written");
    assert_eq!(balance(&mut conn, rich), dec("100.00"));
    assert_eq!(balance(&mut conn, poor), dec("3.00"));
    assert_eq!(balance(&mut conn, to), dec("0.00"));
}

#[tokio::test]
async fn a_batch_refuses_unknown_accounts_repeated_keys_self_transfers_and_taken_keys() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let (from, to) = funded_pair(&mut conn, "20.00");
    let before = footprint(&l);

    assert!(matches!(
        batch(&mut conn, &[request(from, 999_999_999, "1.00", "u-0")]),
        Err(LedgerError::UnknownAccount)
    ));
    assert!(matches!(
        batch(
            &mut conn,
            &[
                request(from, to, "1.00", "k"),
                request(from, to, "1.00", "k")
            ]
        ),
        Err(LedgerError::KeyConflict)
    ));
    assert!(matches!(
        batch(&mut conn, &[request(from, from, "1.00", "self")]),
        Err(LedgerError::SameAccount)
    ));
    assert_eq!(footprint(&l), before, "no refusal wrote anything");

    batch(&mut conn, &[request(from, to, "1.00", "once")]).expect("first use of the key");
    // A key already used is not replayed by a batch: its caller answers replays itself.
    assert!(matches!(
        batch(&mut conn, &[request(from, to, "1.00", "once")]),
        Err(LedgerError::KeyConflict)
    ));
    assert_eq!(balance(&mut conn, to), dec("1.00"), "moved once");
}
