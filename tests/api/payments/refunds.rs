//! Unsubscribing (rule P3): the unused days are refunded pro rata to whoever paid, as
//! reversals of the payment's transfers; a voucher's share after its end is forfeited (K7);
//! money reaching the balance repays the oldest debt first (SPEC §6).

use chrono::Duration;
use partner_center::ledger::AccountKind;
use partner_center::services::payments::{self, Choice, PaymentRefusal};
use partner_center::services::{Refusal, ServiceError};

use super::fixtures::*;

/// Makes a paid order completed with a 30-day term of which 10 days are used (today included),
/// so 20 of 30 days are unused.
fn complete_with_twenty_unused_days(conn: &mut diesel::PgConnection, o: i64) {
    set_order(
        conn,
        o,
        "state = 'completed', term_start = current_date - 9, term_end = current_date + 20",
    );
}

#[tokio::test]
async fn a_refund_after_payment_on_behalf_lands_in_the_partners_cash_pro_rata() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let acme = customer(&mut conn, "it@acme.test");
    let cid = customer_id(&acme);
    let admin = member(&mut conn, "admin@northwind.test");
    let nw = admin.org_id().unwrap().get();
    let p = product(&mut conn, "ecs-refund", "100.00");
    let o = order(&mut conn, cid, p, "100.00", "100.00");
    set_order(&mut conn, o, "pay_request = 'requested'");
    payments::pay_on_behalf(&mut conn, &admin, o, "behalf-key-1").unwrap();
    // The term as the database's today sees it, whatever zone the app's today is in.
    complete_with_twenty_unused_days(&mut conn, o);
    let cash = partner_cash(&mut conn, nw);
    let balance = account_balance(&mut conn, cid, AccountKind::CustomerBalance);

    let r = payments::refund(&mut conn, &acme, o).unwrap();

    let (unused, days) = (r.unused_days, r.term_days);
    assert_eq!(days, 30);
    let expected = (dec("100.00") * rust_decimal::Decimal::from(unused)
        / rust_decimal::Decimal::from(days))
    .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
    assert_eq!(r.amount, expected);
    assert!(
        r.amount > dec("60.00") && r.amount < dec("70.00"),
        "about 20 of 30 days: {}",
        r.amount
    );
    assert_eq!(
        partner_cash(&mut conn, nw),
        cash + expected,
        "back to the partner (P3)"
    );
    assert_eq!(
        account_balance(&mut conn, cid, AccountKind::CustomerBalance),
        balance
    );
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM ledger_transfers t JOIN order_payments p ON p.transfer_id = t.reverses_id \
             WHERE p.order_id = {o} AND t.kind = 'order_refund'"
        )),
        1,
        "a reversal traced to the original payment"
    );
    // Unsubscribing again gives nothing more.
    let again = payments::refund(&mut conn, &acme, o).unwrap();
    assert!(!again.fresh);
    assert_eq!(partner_cash(&mut conn, nw), cash + expected);
    assert_ledger_verifies(&mut conn);
}

#[tokio::test]
async fn a_voucher_share_returns_while_valid_and_is_forfeited_after() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let acme = customer(&mut conn, "it@acme.test");
    let cid = customer_id(&acme);
    set_balance(&mut conn, cid, "100.00");
    let p = product(&mut conn, "ecs-voucher", "30.00");
    let until = today() + Duration::days(60);
    let pay = |conn: &mut diesel::PgConnection, key: &str| {
        let v = coupon(conn, cid, "voucher", "30.00", until, &[]);
        let o = order(conn, cid, p, "30.00", "30.00");
        let choice = Choice {
            voucher_id: Some(v),
            cash_coupon_ids: vec![],
        };
        payments::pay_self(conn, &acme, o, &choice, key).unwrap();
        complete_with_twenty_unused_days(conn, o);
        (v, o)
    };
    let (valid, o1) = pay(&mut conn, "voucher-key-1");
    let (ended, o2) = pay(&mut conn, "voucher-key-2");
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "UPDATE coupons SET valid_until = current_date - 1 - 30, valid_from = current_date - 60 WHERE id = {ended}"
        )),
        &mut conn,
    )
    .unwrap();

    let back = payments::refund(&mut conn, &acme, o1).unwrap();
    let lost = payments::refund(&mut conn, &acme, o2).unwrap();

    assert!(back.amount > dec("0.00") && back.forfeited == dec("0.00"));
    assert_eq!(
        coupon_balance(&mut conn, valid),
        back.amount,
        "back on the voucher"
    );
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM coupons WHERE id = {valid} AND state = 'usable'"
        )),
        1,
        "usable again"
    );
    assert_eq!(lost.amount, dec("0.00"));
    assert_eq!(lost.forfeited, back.amount, "the same share, forfeited");
    assert_eq!(coupon_balance(&mut conn, ended), dec("0.00"));
    assert_eq!(
        account_balance(&mut conn, cid, AccountKind::CustomerBalance),
        dec("100.00"),
        "a voucher never becomes cash (K7)"
    );
    assert_ledger_verifies(&mut conn);
}

#[tokio::test]
async fn a_credit_share_closes_the_open_debt_and_balance_money_repays_the_oldest_debt() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let acme = customer(&mut conn, "it@acme.test");
    let cid = customer_id(&acme);
    set_balance(&mut conn, cid, "30.00");
    set_credit_limit(&mut conn, cid, "500.00");
    let p = product(&mut conn, "ecs-credit", "90.00");
    // First order: 30.00 from the balance, 60.00 on credit (the oldest debt).
    let first = order(&mut conn, cid, p, "90.00", "90.00");
    payments::pay_self(&mut conn, &acme, first, &Choice::default(), "credit-key-1").unwrap();
    // Second order: all 90.00 on credit.
    let second = order(&mut conn, cid, p, "90.00", "90.00");
    payments::pay_self(&mut conn, &acme, second, &Choice::default(), "credit-key-2").unwrap();
    assert_eq!(
        account_balance(&mut conn, cid, AccountKind::CustomerCredit),
        dec("-150.00")
    );
    complete_with_twenty_unused_days(&mut conn, first);

    let r = payments::refund(&mut conn, &acme, first).unwrap();

    // The first order's credit share closes that much of its own debt; its balance share
    // reaches the balance and repays the oldest open debt — what is left of the first's.
    let share = |amount: &str| {
        (dec(amount) * rust_decimal::Decimal::from(r.unused_days)
            / rust_decimal::Decimal::from(r.term_days))
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero)
    };
    let (balance_share, credit_share) = (share("30.00"), share("60.00"));
    assert_eq!(r.amount, balance_share + credit_share);
    assert_eq!(
        account_balance(&mut conn, cid, AccountKind::CustomerCredit),
        dec("-150.00") + credit_share + balance_share
    );
    assert_eq!(
        account_balance(&mut conn, cid, AccountKind::CustomerBalance),
        dec("0.00")
    );
    let cents =
        |d: rust_decimal::Decimal| i64::try_from(d * rust_decimal::Decimal::from(100)).unwrap();
    assert_eq!(
        l.count(&format!(
            "SELECT (repaid * 100)::bigint AS n FROM debts WHERE order_id = {first}"
        )),
        cents(credit_share + balance_share)
    );
    assert_eq!(
        l.count(&format!(
            "SELECT (repaid * 100)::bigint AS n FROM debts WHERE order_id = {second}"
        )),
        0,
        "the newer debt waits"
    );
    assert_ledger_verifies(&mut conn);
}

#[tokio::test]
async fn only_a_completed_order_is_unsubscribed() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let acme = customer(&mut conn, "it@acme.test");
    let cid = customer_id(&acme);
    set_balance(&mut conn, cid, "10.00");
    let p = product(&mut conn, "ecs-early", "5.00");
    let o = order(&mut conn, cid, p, "5.00", "5.00");
    let e = payments::refund(&mut conn, &acme, o).unwrap_err();
    assert!(matches!(
        e,
        ServiceError::Refused(Refusal::Payment(PaymentRefusal::NotRefundable))
    ));
    payments::pay_self(&mut conn, &acme, o, &Choice::default(), "early-key-1").unwrap();
    let e = payments::refund(&mut conn, &acme, o).unwrap_err();
    assert!(
        matches!(
            e,
            ServiceError::Refused(Refusal::Payment(PaymentRefusal::NotRefundable))
        ),
        "processing is not yet completed"
    );
    let globex = customer(&mut conn, "cfo@globex.test");
    assert!(matches!(
        payments::refund(&mut conn, &globex, o).unwrap_err(),
        ServiceError::NotFound
    ));
}
