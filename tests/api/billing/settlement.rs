//! SPEC §6 "Settlement" and rules C2, K7: a bill is settled when issued — coupons first (one
//! voucher, then cash coupons, each within its scope; the voucher part is never invoiced), then
//! the balance, then the available credit — and the rest is an unpaid debt due at the end of
//! the next month. Money reaching the balance later repays the oldest debt first, which makes
//! a bill paid; an unpaid bill keeps its customer from joining another partner (C2). Issuing a
//! month twice does nothing twice.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use partner_center::db::schema::{bills, coupons, debts, ledger_accounts};
use partner_center::domain::{Caller, Money};
use partner_center::ledger::{self, AccountKind, TransferRequest};
use partner_center::services::credit::debts::repay_oldest;
use partner_center::services::customers::association::{self, Refusal};
use rust_decimal::Decimal;

use super::{bill_of, csv, customer_with, import, issue, month, org_id, user_id};
use crate::coupons::{NW_ADMIN, grant_with, issue_input, issue_input_as, voucher_grant};
use crate::support::{TestApp, spawn_app};

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Money from outside reaching the customer's balance, then the repayment every such arrival
/// triggers (`credit::debts::repay_oldest`); what it repaid.
fn deposit_and_repay(app: &TestApp, customer: i64, amount: &str) -> Decimal {
    let mut conn = app.conn();
    let caller = Caller::system("test");
    let external = ledger::accounts::platform(&mut conn, AccountKind::External).unwrap();
    let balance =
        ledger::accounts::for_customer(&mut conn, customer, AccountKind::CustomerBalance).unwrap();
    let key = uuid::Uuid::new_v4().to_string();
    ledger::transfer(
        &mut conn,
        &TransferRequest {
            from: external.id,
            to: balance.id,
            amount: Money::parse_positive(amount).unwrap(),
            kind: "customer_deposit",
            idempotency_key: &key,
            memo: "",
            reverses: None,
        },
        &caller,
    )
    .unwrap();
    repay_oldest(&mut conn, &caller, customer).unwrap()
}

fn account(app: &TestApp, customer: i64, kind: &str) -> Decimal {
    ledger_accounts::table
        .filter(ledger_accounts::owner_customer_id.eq(customer))
        .filter(ledger_accounts::kind.eq(kind))
        .select(ledger_accounts::balance)
        .first(&mut app.conn())
        .unwrap()
}

type Split = (Decimal, Decimal, Decimal, Decimal, Decimal, String);

fn split(app: &TestApp, bill: i64) -> Split {
    bills::table
        .find(bill)
        .select((
            bills::amount,
            bills::from_balance,
            bills::from_credit,
            bills::unpaid,
            bills::voucher_deduction,
            bills::state,
        ))
        .first(&mut app.conn())
        .unwrap()
}

#[tokio::test]
async fn settlement_takes_balance_then_credit_leaves_the_rest_unpaid_and_later_money_repays_oldest_first()
 {
    let app = spawn_app().await;
    let (northwind, contoso) = (
        org_id(&app, "Northwind Distribution"),
        org_id(&app, "Contoso Solutions"),
    );
    let since = Utc::now() - Duration::days(700);
    // Northwind's customer for two years until ten days ago: no partner now.
    let ended = Some(Utc::now() - Duration::days(10));
    let id = customer_with(
        &app,
        "Settle Test Co",
        &[(northwind, "resale", since, ended)],
        &[],
    );
    deposit_and_repay(&app, id, "30.00");
    diesel::update(
        ledger_accounts::table
            .filter(ledger_accounts::owner_customer_id.eq(id))
            .filter(ledger_accounts::kind.eq("customer_credit")),
    )
    .set(ledger_accounts::credit_limit.eq(Some(dec("50.00"))))
    .execute(&mut app.conn())
    .unwrap();
    let (older, newer) = (month(3), month(2));
    import(
        &app,
        &csv(&[
            format!("s-1,{id},ecs.vcpu-hour,{older},100,1"),
            format!("s-2,{id},ecs.vcpu-hour,{newer},10,1"),
        ]),
    );
    assert_eq!(issue(&app, older).bills, 1);
    let first = bill_of(&app, id, older);
    // Balance first (30), then credit (50), the rest unpaid (20).
    assert_eq!(
        split(&app, first),
        (
            dec("100"),
            dec("30"),
            dec("50"),
            dec("20"),
            dec("0"),
            "unpaid".into()
        )
    );
    assert_eq!(account(&app, id, "customer_balance"), Decimal::ZERO);
    assert_eq!(account(&app, id, "customer_credit"), dec("-50"));
    let due: chrono::NaiveDate = bills::table
        .find(first)
        .select(bills::due_on)
        .first::<Option<_>>(&mut app.conn())
        .unwrap()
        .unwrap();
    assert_eq!(
        due,
        partner_center::services::credit::debts::due_on(partner_center::i18n::local_date(
            Utc::now()
        ))
    );
    // Issuing the month again does nothing twice.
    let transfers = app.count("SELECT count(*) AS n FROM ledger_transfers");
    let again = issue(&app, older);
    assert_eq!(again.bills, 0);
    assert!(
        again.skipped >= 1,
        "this customer (and the demo customers) already billed"
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM ledger_transfers"),
        transfers
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM bills WHERE customer_id = {id}"
        )),
        1
    );

    issue(&app, newer);
    let second = bill_of(&app, id, newer);
    assert_eq!(
        split(&app, second),
        (
            dec("10"),
            dec("0"),
            dec("0"),
            dec("10"),
            dec("0"),
            "unpaid".into()
        )
    );
    // rule C2: unpaid bills keep the customer where it is.
    let mut conn = app.conn();
    assert!(association::unpaid_bills(&mut conn, id).unwrap());
    assert_eq!(
        association::refusal(&mut conn, id, contoso).unwrap(),
        Some(Refusal::UnpaidBills)
    );
    drop(conn);

    // 75.00 arrives: the oldest debts first — the credit used (50), the first bill's rest (20),
    // then 5 of the second bill's 10.
    assert_eq!(deposit_and_repay(&app, id, "75.00"), dec("75"));
    assert_eq!(split(&app, first).5, "paid");
    assert_eq!(split(&app, second).5, "unpaid");
    assert_eq!(account(&app, id, "customer_credit"), Decimal::ZERO);
    assert_eq!(account(&app, id, "customer_balance"), Decimal::ZERO);
    let open: Decimal = debts::table
        .filter(debts::customer_id.eq(id))
        .filter(debts::settled_at.is_null())
        .select(debts::amount - debts::repaid)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(open, dec("5"));
    assert!(association::unpaid_bills(&mut app.conn(), id).unwrap());

    deposit_and_repay(&app, id, "5.00");
    assert_eq!(split(&app, second).5, "paid");
    let mut conn = app.conn();
    assert!(!association::unpaid_bills(&mut conn, id).unwrap());
    assert_ne!(
        association::refusal(&mut conn, id, contoso).unwrap(),
        Some(Refusal::UnpaidBills)
    );
    crate::coupons::assert_ledger_verifies(&app);
}

#[tokio::test]
async fn coupons_pay_first_one_voucher_then_cash_coupons_within_their_scope() {
    let app = spawn_app().await;
    let northwind = org_id(&app, "Northwind Distribution");
    let since = Utc::now() - Duration::days(700);
    let mgr1 = user_id(&app, "mgr1@northwind.test");
    let id = customer_with(
        &app,
        "Coupon Bill Co",
        &[(northwind, "resale", since, None)],
        &[(northwind, mgr1, since, None)],
    );
    let vouchers = voucher_grant(&app, northwind, "1000.00");
    let today = partner_center::services::coupons::today();
    let mut soon = issue_input(vouchers, id, "30.00");
    soon.valid_until = Some(today + Duration::days(10));
    let soon = issue_input_as(&app, NW_ADMIN, &soon);
    let later = issue_input_as(&app, NW_ADMIN, &issue_input(vouchers, id, "5.00"));
    let cash = grant_with(
        &app,
        northwind,
        partner_center::domain::CouponKind::CashCoupon,
        "1000.00",
        (0, 90),
        &[],
        false,
    );
    let mut ecs_only = issue_input(cash, id, "20.00");
    ecs_only.scope = vec!["ECS".into()];
    let ecs_only = issue_input_as(&app, NW_ADMIN, &ecs_only);
    let m = month(2);
    import(
        &app,
        &csv(&[
            format!("k-1,{id},ecs.vcpu-hour,{m},40,1"),
            format!("k-2,{id},obs.gb-month,{m},50,1"),
        ]),
    );
    issue(&app, m);
    let bill = bill_of(&app, id, m);
    let (cash_part, unpaid): (Decimal, Decimal) = bills::table
        .find(bill)
        .select((bills::cash_coupon_deduction, bills::unpaid))
        .first(&mut app.conn())
        .unwrap();
    // One voucher (the one ending soonest) takes 30; the ECS-only cash coupon the ECS left (10);
    // nothing pays the OBS part.
    assert_eq!(split(&app, bill).4, dec("30"));
    assert_eq!((cash_part, unpaid), (dec("10"), dec("50")));
    let state = |c: i64| -> String {
        coupons::table
            .find(c)
            .select(coupons::state)
            .first(&mut app.conn())
            .unwrap()
    };
    assert_eq!(state(soon), "used");
    assert_eq!(state(later), "usable");
    assert_eq!(crate::coupons::coupon_cents(&app, later), 500);
    assert_eq!(crate::coupons::coupon_cents(&app, ecs_only), 1000);
    // The bill's page marks the voucher part as not invoiced (K7).
    let admin = app.signed_in(NW_ADMIN).await;
    let page = admin
        .get_with(
            &format!("/partner/bills/{bill}"),
            &[("Accept-Language", "en")],
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(page.contains("(not invoiced)"));
    crate::coupons::assert_ledger_verifies(&app);
}
