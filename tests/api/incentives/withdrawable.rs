//! rule P4 with incentives (seed 001: 可提现金额 = 现金金额 − 欠票金额 − 未入账金额 − 子用户欠费总额):
//! the demo's 欠票 (paid incentives without a received invoice, one of them on an invoice
//! awaiting confirmation) and 未入账 (an approved request not yet paid) are non-zero, shown with
//! what makes them up, and the withdrawable amount is cash − owed − not yet posted − arrears;
//! each operator step moves the terms as it should, and no withdrawal goes beyond the amount.

use partner_center::services::credit::withdrawable;
use partner_center::services::incentives::{invoice_decide, payouts};

use super::*;
use crate::credit::request;
use crate::support::spawn_app;

/// The terms as the service reads them, and the page as the admin sees it, agree with sums
/// taken straight from the tables.
async fn check(app: &TestApp, c: &Client, owed: &str, unposted: &str) -> Decimal {
    let nw = northwind(app);
    let owed_sql = cents(
        app,
        &format!(
            "SELECT COALESCE(SUM(i.amount) * 100, 0)::bigint AS n FROM incentives i \
             JOIN incentive_payouts p ON p.id = i.payout_id \
             WHERE i.partner_id = {nw} AND p.state = 'paid' AND i.invoiced_at IS NULL"
        ),
    );
    let unposted_sql = cents(
        app,
        &format!(
            "SELECT COALESCE(SUM(amount) * 100, 0)::bigint AS n FROM incentive_payouts \
             WHERE partner_id = {nw} AND state = 'approved'"
        ),
    );
    assert_eq!(owed_sql, dec(owed));
    assert_eq!(unposted_sql, dec(unposted));
    let today = partner_center::services::credit::line::today();
    let terms = withdrawable::of_partner(&mut app.conn(), nw, today).unwrap();
    assert_eq!(terms.owed_in_invoices.total, dec(owed));
    assert_eq!(terms.not_yet_posted.total, dec(unposted));
    let page = c.get("/partner/account").await;
    assert_eq!(page.status, 200);
    assert_eq!(term(&page.body, "term-owed"), shown(dec(owed)));
    assert_eq!(term(&page.body, "term-unposted"), shown(dec(unposted)));
    let arrears = dec(&term(&page.body, "term-arrears").replace(',', ""));
    let expected = cash(app, nw) - dec(owed) - dec(unposted) - arrears;
    assert_eq!(withdrawable_on(&page.body), shown(expected));
    assert_eq!(terms.amount(), expected);
    expected
}

#[tokio::test]
async fn the_demo_incentive_terms_are_non_zero_and_the_withdrawable_amount_subtracts_them() {
    let app = spawn_app().await;
    let admin = app.signed_in(NW_ADMIN).await;
    // The demo: 2,400.00 paid and not invoiced, 1,250.00 paid with its invoice awaiting
    // confirmation; 2,600.00 approved and not yet paid.
    let w0 = check(&app, &admin, "3650.00", "2600.00").await;
    assert!(
        w0 >= dec("5000.00"),
        "the demo's pending withdrawal stays covered"
    );
    let page = admin.get("/partner/account").await;
    assert!(
        page.contains("2 笔已付款激励") && page.contains("¥1,250.00 的发票待确认"),
        "make-up"
    );
    assert!(page.contains("1 个激励付款申请已审核通过"));

    let ops = operator(&app);
    let nw = northwind(&app);
    let approved = app.id_of(&format!(
        "SELECT id AS n FROM incentive_payouts WHERE partner_id = {nw} AND state = 'approved'"
    ));
    // Paying it moves 2,600.00 from 未入账 to the cash and to 欠票.
    payouts::pay(&mut app.conn(), &ops, approved, "http://t").unwrap();
    let w1 = check(&app, &admin, "6250.00", "0.00").await;
    assert_eq!(w1, w0 + dec("2600.00"));
    // Receiving the pending invoice ends its 1,250.00 of 欠票.
    let pending = app.id_of(&format!(
        "SELECT id AS n FROM incentive_invoices WHERE partner_id = {nw} AND state = 'pending'"
    ));
    invoice_decide::receive(&mut app.conn(), &ops, pending, "http://t").unwrap();
    let w2 = check(&app, &admin, "5000.00", "0.00").await;
    assert_eq!(w2, w1 + dec("1250.00"));
    // Approving the pending application adds its 2,150.00 to 未入账.
    let applied = app.id_of(&format!(
        "SELECT id AS n FROM incentive_payouts WHERE partner_id = {nw} AND state = 'pending'"
    ));
    payouts::approve(&mut app.conn(), &ops, applied, "http://t").unwrap();
    let w3 = check(&app, &admin, "5000.00", "2150.00").await;
    assert_eq!(w3, w2 - dec("2150.00"));

    // No withdrawal beyond it.
    let res = request(&admin, &(w3 + dec("0.01")).to_string()).await;
    assert_eq!(res.status, 422);
    let res = request(&admin, &w3.to_string()).await;
    assert_eq!(res.status, 303);
    let page = admin.get("/partner/account").await;
    assert_eq!(withdrawable_on(&page.body), "0.00");
    // Another partner's terms are its own.
    let contoso = app.signed_in("admin@contoso.test").await;
    let page = contoso.get("/partner/account").await;
    assert_eq!(term(&page.body, "term-owed"), "0.00");
    assert_eq!(term(&page.body, "term-unposted"), "0.00");
    assert_ledger_verifies(&app);
}
