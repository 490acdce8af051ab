//! The customer pays its own order (rule K7): voucher, cash coupons, balance, then credit,
//! exact to the cent; refusals change nothing; a double submit pays once; C8 spending follows.

use chrono::Duration;
use partner_center::domain::PaymentSource;
use partner_center::ledger::AccountKind;
use partner_center::services::payments::{self, Choice, PaymentRefusal};
use partner_center::services::{Refusal, ServiceError};

use super::fixtures::*;

fn refused(e: ServiceError) -> Option<PaymentRefusal> {
    match e {
        ServiceError::Refused(Refusal::Payment(r)) => Some(r),
        _ => None,
    }
}

#[tokio::test]
async fn voucher_cash_coupons_balance_and_credit_split_exact_to_the_cent() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let acme = customer(&mut conn, "it@acme.test");
    let cid = customer_id(&acme);
    // rule B1: an 8-decimal price charges whole cents.
    let p = product(&mut conn, "ecs-test", "123.45678901");
    let o = order(&mut conn, cid, p, "123.45678901", "123.45");
    let until = today() + Duration::days(10);
    let voucher = coupon(&mut conn, cid, "voucher", "40.01", until, &[]);
    let cash1 = coupon(
        &mut conn,
        cid,
        "cash_coupon",
        "20.00",
        until,
        &["ECS", "OBS"],
    );
    let cash2 = coupon(&mut conn, cid, "cash_coupon", "3.33", until, &[]);
    set_balance(&mut conn, cid, "50.00");
    set_credit_limit(&mut conn, cid, "100.00");
    let spent_before = l.count(&format!(
        "SELECT (cash_spent * 100)::bigint AS n FROM customers WHERE id = {cid}"
    ));
    let choice = Choice {
        voucher_id: Some(voucher),
        cash_coupon_ids: vec![cash1, cash2],
    };

    let plan = payments::plan(&mut conn, &acme, o, &choice).expect("a plan");
    let paid = payments::pay_self(&mut conn, &acme, o, &choice, "form-key-0001").expect("paid");

    assert_eq!(plan.parts, paid.parts, "the page's split is what is paid");
    let split: Vec<_> = paid.parts.iter().map(|p| (p.source, p.amount)).collect();
    assert_eq!(
        split,
        vec![
            (PaymentSource::Voucher, dec("40.01")),
            (PaymentSource::CashCoupon, dec("20.00")),
            (PaymentSource::CashCoupon, dec("3.33")),
            (PaymentSource::Balance, dec("50.00")),
            (PaymentSource::Credit, dec("10.11")),
        ]
    );
    assert_eq!(coupon_balance(&mut conn, voucher), dec("0.00"));
    assert_eq!(
        account_balance(&mut conn, cid, AccountKind::CustomerBalance),
        dec("0.00")
    );
    assert_eq!(
        account_balance(&mut conn, cid, AccountKind::CustomerCredit),
        dec("-10.11")
    );
    assert_eq!(
        l.count(&format!("SELECT count(*) AS n FROM coupons WHERE id IN ({voucher},{cash1},{cash2}) AND state = 'used'")),
        3,
        "emptied coupons are used"
    );
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM orders WHERE id = {o} AND state = 'processing' \
             AND payer = 'customer' AND term_start IS NOT NULL AND term_end > term_start"
        )),
        1
    );
    // SPEC §6: the credit used is a debt due at the end of the next month.
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM debts WHERE order_id = {o} AND kind = 'credit' \
             AND amount = 10.11 AND due_on = (date_trunc('month', current_date) + interval '2 month' - interval '1 day')::date"
        )),
        1
    );
    // C8: the customer's own money spent (balance and credit, not coupons).
    assert_eq!(
        l.count(&format!(
            "SELECT (cash_spent * 100)::bigint AS n FROM customers WHERE id = {cid}"
        )),
        spent_before + 6011
    );
    assert_eq!(
        l.count(&format!(
            "SELECT (sum(amount) * 100)::bigint AS n FROM order_payments WHERE order_id = {o}"
        )),
        12345
    );
    assert_ledger_verifies(&mut conn);
}

#[tokio::test]
async fn not_enough_funds_is_refused_and_moves_nothing() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let acme = customer(&mut conn, "it@acme.test");
    let cid = customer_id(&acme);
    let p = product(&mut conn, "ecs-short", "10.00");
    let o = order(&mut conn, cid, p, "10.00", "10.00");
    set_balance(&mut conn, cid, "9.99");
    set_credit_limit(&mut conn, cid, "0.00");
    let transfers = l.count("SELECT count(*) AS n FROM ledger_transfers");

    let e =
        payments::pay_self(&mut conn, &acme, o, &Choice::default(), "form-key-0002").unwrap_err();

    assert_eq!(refused(e), Some(PaymentRefusal::NotEnoughFunds));
    assert_eq!(
        l.count("SELECT count(*) AS n FROM ledger_transfers"),
        transfers
    );
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM orders WHERE id = {o} AND state = 'pending_payment'"
        )),
        1
    );
    let plan = payments::plan(&mut conn, &acme, o, &Choice::default()).unwrap();
    assert_eq!(
        plan.short,
        dec("0.01"),
        "the page can say how much is missing"
    );
}

#[tokio::test]
async fn one_voucher_per_order_and_only_fitting_coupons() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let acme = customer(&mut conn, "it@acme.test");
    let globex = customer(&mut conn, "cfo@globex.test");
    let cid = customer_id(&acme);
    let p = product(&mut conn, "ecs-fit", "10.00");
    let o = order(&mut conn, cid, p, "10.00", "10.00");
    set_balance(&mut conn, cid, "100.00");
    let until = today() + Duration::days(5);
    let v1 = coupon(&mut conn, cid, "voucher", "1.00", until, &[]);
    let v2 = coupon(&mut conn, cid, "voucher", "1.00", until, &[]);
    let obs_only = coupon(&mut conn, cid, "cash_coupon", "1.00", until, &["OBS"]);
    let ended = coupon(
        &mut conn,
        cid,
        "cash_coupon",
        "1.00",
        today() - Duration::days(1),
        &[],
    );
    let not_ours = coupon(
        &mut conn,
        customer_id(&globex),
        "cash_coupon",
        "1.00",
        until,
        &[],
    );
    let tries = [
        (Some(v1), vec![v2], PaymentRefusal::OneVoucher),
        (None, vec![obs_only], PaymentRefusal::CouponNotApplicable),
        (None, vec![ended], PaymentRefusal::CouponNotApplicable),
        (None, vec![not_ours], PaymentRefusal::CouponNotApplicable),
        (Some(not_ours), vec![], PaymentRefusal::CouponNotApplicable),
        (
            Some(999_999_999),
            vec![],
            PaymentRefusal::CouponNotApplicable,
        ),
    ];
    for (i, (voucher_id, cash_coupon_ids, why)) in tries.into_iter().enumerate() {
        let choice = Choice {
            voucher_id,
            cash_coupon_ids,
        };
        let e = payments::pay_self(&mut conn, &acme, o, &choice, &format!("form-key-1{i:03}"))
            .unwrap_err();
        assert_eq!(refused(e), Some(why), "try {i}");
    }
    let offered: Vec<i64> = payments::usable_coupons(&mut conn, &acme, o)
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert!(offered.contains(&v1) && offered.contains(&v2));
    assert!(
        !offered.contains(&obs_only) && !offered.contains(&ended) && !offered.contains(&not_ours)
    );
    // Another customer's order is not found.
    let e = payments::plan(&mut conn, &globex, o, &Choice::default()).unwrap_err();
    assert!(matches!(e, ServiceError::NotFound));
}

#[tokio::test]
async fn a_double_submit_pays_once_and_a_paid_order_is_not_paid_again() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let acme = customer(&mut conn, "it@acme.test");
    let cid = customer_id(&acme);
    let p = product(&mut conn, "ecs-twice", "7.00");
    let o = order(&mut conn, cid, p, "7.00", "7.00");
    set_balance(&mut conn, cid, "20.00");

    let first =
        payments::pay_self(&mut conn, &acme, o, &Choice::default(), "form-key-0003").unwrap();
    let again =
        payments::pay_self(&mut conn, &acme, o, &Choice::default(), "form-key-0003").unwrap();
    let other_tab = payments::pay_self(&mut conn, &acme, o, &Choice::default(), "form-key-0004");

    assert!(first.fresh && !again.fresh);
    assert_eq!(first.parts, again.parts);
    assert!(matches!(
        other_tab,
        Err(ServiceError::Refused(Refusal::Order(_)))
    ));
    assert_eq!(
        account_balance(&mut conn, cid, AccountKind::CustomerBalance),
        dec("13.00")
    );
    // A cancelled order cannot be paid (rule P1).
    let cancelled = order(&mut conn, cid, p, "7.00", "7.00");
    set_order(&mut conn, cancelled, "state = 'cancelled'");
    let e = payments::pay_self(
        &mut conn,
        &acme,
        cancelled,
        &Choice::default(),
        "form-key-0005",
    )
    .unwrap_err();
    assert!(matches!(e, ServiceError::Refused(Refusal::Order(_))));
}
