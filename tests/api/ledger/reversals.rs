//! Corrections are new reversing transfers (SPEC §4): they restore balances, happen at most
//! once per transfer, and only move money back between the original accounts.

use partner_center::ledger::{self, LedgerError, TransferRequest};
use rust_decimal::Decimal;

use crate::ledger::helpers::*;

#[tokio::test]
async fn a_reversing_transfer_restores_both_balances_once() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let (a, b) = funded_pair(&mut conn, "100.00");
    let t = move_money(&mut conn, a, b, "40.00", "to-reverse").unwrap();
    let r = ledger::reverse(&mut conn, t.id, "reverse-1", &actor()).unwrap();
    assert_eq!(
        (r.from_account_id, r.to_account_id, r.amount),
        (b, a, dec("40.00"))
    );
    assert_eq!(r.reverses_id, Some(t.id));
    assert_eq!(r.kind, "reversal");
    assert_eq!(balance(&mut conn, a), dec("100.00"));
    assert_eq!(balance(&mut conn, b), Decimal::ZERO);
    // The original is still there, unchanged: corrections never rewrite history.
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM ledger_entries WHERE transfer_id = {}",
            t.id
        )),
        2
    );
    assert_eq!(
        ledger::reverse(&mut conn, t.id, "reverse-1", &actor()).unwrap(),
        r,
        "a replay"
    );
    fund(&mut conn, b, "40.00");
    let before = footprint(&l);
    assert!(matches!(
        ledger::reverse(&mut conn, t.id, "reverse-2", &actor()),
        Err(LedgerError::AlreadyReversed)
    ));
    assert!(matches!(
        ledger::reverse(&mut conn, 987_654_321, "reverse-3", &actor()),
        Err(LedgerError::BadReversal)
    ));
    // A "reversal" that does not move the money back between the same accounts is refused.
    let c = open_account(&mut conn);
    let req = TransferRequest {
        from: b,
        to: c,
        amount: money("1"),
        kind: "reversal",
        idempotency_key: "wrong-way",
        memo: "",
        reverses: Some(t.id),
    };
    assert!(matches!(
        ledger::transfer(&mut conn, &req, &actor()),
        Err(LedgerError::BadReversal)
    ));
    assert_eq!(footprint(&l), before);
}

#[tokio::test]
async fn a_reversal_the_recipient_can_no_longer_pay_is_refused() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let (a, b, c) = (
        open_account(&mut conn),
        open_account(&mut conn),
        open_account(&mut conn),
    );
    fund(&mut conn, a, "10.00");
    let t = move_money(&mut conn, a, b, "10.00", "paid").unwrap();
    move_money(&mut conn, b, c, "4.00", "spent").unwrap();
    assert!(matches!(
        ledger::reverse(&mut conn, t.id, "too-late", &actor()),
        Err(LedgerError::InsufficientFunds { .. })
    ));
    assert_eq!(balance(&mut conn, b), dec("6.00"));
}
