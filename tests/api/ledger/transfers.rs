//! One transfer's rules: amounts, refusals that change nothing, idempotency, append-only
//! entries, reversals and the audit row (rule X1).

use diesel::prelude::*;
use partner_center::domain::Money;
use partner_center::domain::money::MoneyError;
use partner_center::i18n::Lang;
use partner_center::ledger::{self, LedgerError, TransferRequest};
use rust_decimal::Decimal;

use crate::ledger::helpers::*;

/// What a form does: parse what was typed, then transfer.
fn transfer_typed(
    conn: &mut PgConnection,
    from: i64,
    to: i64,
    typed: &str,
) -> Result<(), MoneyError> {
    let amount = Money::parse_positive(typed)?;
    let req = TransferRequest {
        from,
        to,
        amount,
        kind: "test",
        idempotency_key: typed,
        memo: "",
        reverses: None,
    };
    ledger::transfer(conn, &req, &actor()).expect("a valid amount moves");
    Ok(())
}

#[tokio::test]
async fn bad_amounts_are_refused_with_a_clear_message_and_write_nothing() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let (from, to) = funded_pair(&mut conn, "10.00");
    let before = footprint(&l);
    for (typed, why) in [
        ("-5", MoneyError::NotPositive),
        ("-0.01", MoneyError::NotPositive),
        ("0", MoneyError::NotPositive),
        ("0.00", MoneyError::NotPositive),
        ("NaN", MoneyError::NotANumber),
        ("inf", MoneyError::NotANumber),
        ("1e3", MoneyError::NotANumber),
        ("1.2.3", MoneyError::NotANumber),
        ("", MoneyError::Empty),
        ("1.005", MoneyError::TooPrecise),
        ("0.001", MoneyError::TooPrecise),
        ("1000000000.01", MoneyError::TooLarge),
        ("99999999999999999999", MoneyError::TooLarge),
    ] {
        assert_eq!(
            transfer_typed(&mut conn, from, to, typed),
            Err(why),
            "{typed:?}"
        );
        for lang in [Lang::En, Lang::ZhCn] {
            let text = lang.t(why.message_key());
            assert!(!text.is_empty() && text != why.message_key(), "{typed:?}");
        }
    }
    assert_eq!(Money::from_decimal(Decimal::MAX), Err(MoneyError::TooLarge));
    assert_eq!(
        Money::from_decimal(Decimal::MIN),
        Err(MoneyError::NotPositive)
    );
    assert_eq!(footprint(&l), before, "nothing was written");
    assert_eq!(balance(&mut conn, from), dec("10.00"));
    // Trailing zeros are not extra precision.
    transfer_typed(&mut conn, from, to, "1.500").unwrap();
    assert_eq!(balance(&mut conn, to), dec("1.50"));
}

#[tokio::test]
async fn refused_transfers_name_the_reason_and_change_nothing() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let (a, b) = funded_pair(&mut conn, "50.00");
    let before = footprint(&l);
    let refusal = |conn: &mut PgConnection, from, to, amount: &str| {
        move_money(conn, from, to, amount, &uuid::Uuid::new_v4().to_string()).unwrap_err()
    };
    match refusal(&mut conn, a, b, "50.01") {
        LedgerError::InsufficientFunds { available } => assert_eq!(available, dec("50.00")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        refusal(&mut conn, a, a, "1"),
        LedgerError::SameAccount
    ));
    assert!(matches!(
        refusal(&mut conn, a, 987_654_321, "1"),
        LedgerError::UnknownAccount
    ));
    assert!(matches!(
        refusal(&mut conn, 987_654_321, a, "1"),
        LedgerError::UnknownAccount
    ));
    diesel::sql_query(format!(
        "UPDATE ledger_accounts SET frozen = true WHERE id = {b}"
    ))
    .execute(&mut conn)
    .unwrap();
    assert!(
        matches!(refusal(&mut conn, a, b, "1"), LedgerError::Frozen),
        "into a frozen account"
    );
    assert!(
        matches!(refusal(&mut conn, b, a, "1"), LedgerError::Frozen),
        "out of it"
    );
    let long_memo = "x".repeat(257);
    let req = TransferRequest {
        from: a,
        to: open_account(&mut conn),
        amount: money("1"),
        kind: "test",
        idempotency_key: "memo",
        memo: &long_memo,
        reverses: None,
    };
    assert!(matches!(
        ledger::transfer(&mut conn, &req, &actor()),
        Err(LedgerError::MemoTooLong)
    ));
    assert_eq!(footprint(&l), before);
    assert_eq!(balance(&mut conn, a), dec("50.00"));
    for e in [
        LedgerError::Frozen,
        LedgerError::SameAccount,
        LedgerError::AlreadyReversed,
    ] {
        assert_ne!(Lang::ZhCn.t(e.message_key()), e.message_key());
    }
}

#[tokio::test]
async fn a_reused_key_with_a_different_request_is_a_conflict_and_changes_nothing() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let (a, b) = funded_pair(&mut conn, "100.00");
    let first = move_money(&mut conn, a, b, "10.00", "k-1").unwrap();
    let before = footprint(&l);
    assert_eq!(
        move_money(&mut conn, a, b, "10.00", "k-1").unwrap(),
        first,
        "a replay"
    );
    assert_eq!(
        move_money(&mut conn, a, b, "10", "k-1").unwrap(),
        first,
        "the same amount written differently is the same request"
    );
    assert!(matches!(
        move_money(&mut conn, a, b, "11.00", "k-1"),
        Err(LedgerError::KeyConflict)
    ));
    let c = open_account(&mut conn);
    assert!(matches!(
        move_money(&mut conn, a, c, "10.00", "k-1"),
        Err(LedgerError::KeyConflict)
    ));
    assert_eq!(footprint(&l), before);
    assert_eq!(balance(&mut conn, a), dec("90.00"));
}

#[tokio::test]
async fn a_transfer_is_two_entries_summing_to_zero_with_its_audit_row() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let (a, b) = funded_pair(&mut conn, "80.00");
    let t = move_money(&mut conn, a, b, "30.25", "audited").unwrap();
    let of_t = format!("FROM ledger_entries WHERE transfer_id = {}", t.id);
    assert_eq!(l.count(&format!("SELECT count(*) AS n {of_t}")), 2);
    assert_eq!(l.count(&format!("SELECT count(*) AS n {of_t} AND account_id = {a} AND amount = -30.25 AND balance_after = 49.75")), 1);
    assert_eq!(l.count(&format!("SELECT count(*) AS n {of_t} AND account_id = {b} AND amount = 30.25 AND balance_after = 30.25")), 1);
    let audit = format!(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'ledger.transfer' AND subject_type = 'transfer' \
         AND subject_id = '{}' AND actor_email = 'ledger-test@demo.test' AND after->>'amount' = '30.25' \
         AND (after->>'from')::bigint = {a} AND (after->>'to')::bigint = {b}",
        t.id
    );
    assert_eq!(l.count(&audit), 1);
    assert_eq!(
        l.count("SELECT count(*) AS n FROM ledger_transfers t WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE action = 'ledger.transfer' AND subject_id = t.id::text)"),
        0,
        "every transfer, seeded ones included, has its audit row"
    );
}

#[tokio::test]
async fn entries_and_transfers_cannot_be_changed_or_deleted() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let a = open_account(&mut conn);
    let t = fund(&mut conn, a, "5.00");
    for sql in [
        format!(
            "UPDATE ledger_entries SET amount = amount * 2 WHERE transfer_id = {}",
            t.id
        ),
        format!("DELETE FROM ledger_entries WHERE transfer_id = {}", t.id),
        "TRUNCATE ledger_entries CASCADE".to_string(),
        format!("UPDATE ledger_transfers SET amount = 1 WHERE id = {}", t.id),
        format!("DELETE FROM ledger_transfers WHERE id = {}", t.id),
    ] {
        let err = diesel::sql_query(&sql).execute(&mut conn).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    // The balance column is guarded by a CHECK constraint as well.
    let err = diesel::sql_query(format!(
        "UPDATE ledger_accounts SET balance = -0.01 WHERE id = {a}"
    ))
    .execute(&mut conn)
    .unwrap_err();
    assert!(err.to_string().contains("check"), "{err}");
    assert_eq!(entries_sum(&mut conn, a), dec("5.00"));
    assert_eq!(balance(&mut conn, a), dec("5.00"));
}

#[tokio::test]
async fn a_refused_transfer_inside_a_larger_transaction_leaves_that_transaction_usable() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let (a, b) = funded_pair(&mut conn, "10.00");
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        assert!(move_money(conn, a, b, "99.00", "too-much").is_err());
        move_money(conn, a, b, "3.00", "fine").unwrap();
        Ok(())
    })
    .unwrap();
    assert_eq!(balance(&mut conn, b), dec("3.00"));
}
