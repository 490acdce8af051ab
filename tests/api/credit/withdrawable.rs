//! rule P4's formula on `/partner/account` (seed 001: 可提现金额 = 现金金额 − 欠票金额 − 未入账金额 −
//! 子用户欠费总额): each term shown with what makes it up; a reseller's pending withdrawal leaves
//! what its distributor can reclaim (R3).

use rust_decimal::Decimal;

use crate::credit::*;
use crate::support::html::assert_valid;
use crate::support::http::form_key;
use crate::support::spawn_app;

#[tokio::test]
async fn the_withdrawable_amount_subtracts_sub_customer_arrears_term_by_term() {
    let app = spawn_app().await;
    let nw = northwind(&app);
    // The demo: Xenon Labs owes 1,280.00 past due; add Acme's 300.00, a debt not yet due, and
    // arrears of a reseller's customer, which count for the reseller, not for Northwind.
    let acme = customer(&app, "Acme Corp");
    set_limit(&app, acme, "1000.00");
    let d = use_credit(&app, acme, "300.00", 70);
    due_in(&app, d, -5);
    let beacon = customer(&app, "Beacon Health");
    set_limit(&app, beacon, "1000.00");
    let d = use_credit(&app, beacon, "99.00", 2);
    due_in(&app, d, 10);
    let initech = customer(&app, "Initech");
    set_limit(&app, initech, "1000.00");
    let d = use_credit(&app, initech, "77.00", 70);
    due_in(&app, d, -5);

    let admin = app.signed_in("admin@northwind.test").await;
    let page = admin.get("/partner/account").await;
    assert_eq!(page.status, 200);
    let cash_now = cash(&app, nw);
    assert!(cash_now > Decimal::ZERO);
    assert_eq!(term(&page.body, "term-cash"), shown(cash_now));
    // The demo incentives' terms (issue 23: tests/api/incentives/withdrawable.rs).
    assert_eq!(term(&page.body, "term-owed"), "3,650.00");
    assert_eq!(term(&page.body, "term-unposted"), "2,600.00");
    assert_eq!(term(&page.body, "term-arrears"), "1,580.00");
    assert!(page.contains("2 of your customers") || page.contains("2 个欠费客户"));
    assert_eq!(
        withdrawable_on(&page.body),
        shown(cash_now - dec("3650.00") - dec("2600.00") - dec("1580.00"))
    );
    // Bluebird's own withdrawable amount carries its customer's arrears.
    let bb = app.signed_in("admin@bluebird.test").await;
    let page = bb.get("/partner/account").await;
    assert_eq!(term(&page.body, "term-arrears"), "77.00");
    assert_valid(&[("account".into(), page.body)]);
}

#[tokio::test]
async fn a_resellers_pending_withdrawal_leaves_what_its_distributor_can_reclaim() {
    let app = spawn_app().await;
    let bb = org(&app, "Bluebird Cloud");
    let reseller = app.signed_in("admin@bluebird.test").await;
    let before = cash(&app, bb);
    let ask = before - dec("5000.00");
    assert_eq!(request(&reseller, &ask.to_string()).await.status, 303);
    assert_eq!(cash(&app, bb), dec("5000.00"));
    let admin = app.signed_in("admin@northwind.test").await;
    let form = format!("/partner/resellers/{bb}/reclaim");
    let key = form_key(&admin.get(&form).await.body);
    let res = admin
        .submit(
            &form,
            &form,
            &[("amount", "5000.01"), ("remark", ""), ("key", &key)],
        )
        .await;
    assert_eq!(res.status, 422, "the held amount cannot be reclaimed");
    let res = admin
        .submit(
            &form,
            &form,
            &[("amount", "5000.00"), ("remark", ""), ("key", &key)],
        )
        .await;
    assert_eq!(res.status, 303);
    ledger_ok(&app);
}
