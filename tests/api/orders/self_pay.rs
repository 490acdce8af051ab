//! rule K7 paying one's own order on its page: at most one voucher and any cash coupons that
//! fit, previewed as the split (voucher, cash coupons, balance, credit) before confirming; not
//! enough funds is a clear message with the choices kept; a double submit pays once; rule P3
//! unsubscribing a completed order shows the refund.

use super::wait_for_state;
use super::{balance_cents, customer_id, deposit, drain, org_id, place, product, state_of};
use crate::coupons::{cash_grant, issue_one, voucher_grant};
use crate::support::http::form_key;
use crate::support::spawn_app;

#[tokio::test]
async fn the_customer_previews_the_split_then_pays_and_unsubscribes() {
    let app = spawn_app().await;
    product(&app, "sp-split", Some("100.00"), None, false);
    let nw = org_id(&app, "Northwind Distribution");
    let acme = customer_id(&app, "it@acme.test");
    let voucher = issue_one(&app, voucher_grant(&app, nw, "500.00"), acme, "30.00");
    let cash = cash_grant(&app, nw, "500.00");
    let (c1, c2) = (
        issue_one(&app, cash, acme, "20.00"),
        issue_one(&app, cash, acme, "15.00"),
    );
    drain(&app, acme);
    deposit(&app, acme, "10.00");
    let it = app.signed_in("it@acme.test").await;
    let id = place(&it, "sp-split", "month").await;
    let page = format!("/fee-center/orders/{id}");
    let shown = it.get(&page).await;
    assert!(shown.contains(&format!("<option value=\"{voucher}\"")));
    assert!(
        shown.contains(&format!("value=\"{c1}\"")) && shown.contains(&format!("value=\"{c2}\""))
    );
    let key = form_key(&shown.body);
    let (v, c1s, c2s) = (voucher.to_string(), c1.to_string(), c2.to_string());
    let choice = [
        ("voucher_id", v.as_str()),
        ("cash_coupon_id", c1s.as_str()),
        ("cash_coupon_id", c2s.as_str()),
        ("key", key.as_str()),
    ];
    // 30 + 20 + 15 + 10 of balance leaves 25.00 uncovered: no confirm, the choice kept.
    let short = it
        .submit(&page, &format!("{page}/pay/preview"), &choice)
        .await;
    assert_eq!(short.status, 200);
    assert!(short.contains("25.00") && !short.contains("id=\"confirm-form\""));
    let refused = it.submit(&page, &format!("{page}/pay"), &choice).await;
    assert_eq!(refused.status, 409);
    assert!(refused.contains("不足以支付"), "not enough funds, clearly");
    assert!(refused.contains(&format!("value=\"{c1}\" checked")));
    assert!(refused.contains(&format!("<option value=\"{voucher}\" selected")));
    assert_eq!(state_of(&app, id), "pending_payment");

    deposit(&app, acme, "40.00");
    let preview = it
        .submit(&page, &format!("{page}/pay/preview"), &choice)
        .await;
    assert_eq!(preview.status, 200);
    let plan = preview.body.split("id=\"pay-plan\"").nth(1).unwrap();
    let at = |s: &str| plan.find(s).unwrap_or_else(|| panic!("{s} in the plan"));
    assert!(at("30.00") < at("20.00") && at("20.00") < at("15.00") && at("15.00") < at("35.00"));
    assert!(preview.contains("id=\"confirm-form\""));
    for _ in 0..2 {
        let res = it.submit(&page, &format!("{page}/pay"), &choice).await;
        assert_eq!(res.status, 303, "{}", res.body);
    }
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM order_payments WHERE order_id = {id}"
        )),
        4,
        "voucher, two cash coupons, balance: paid once"
    );
    assert_eq!(balance_cents(&app, acme), 1_500);
    wait_for_state(&app, id, "completed", 10).await;
    let res = it.submit(&page, &format!("{page}/unsubscribe"), &[]).await;
    assert_eq!(res.status, 303);
    let after = it.get(&page).await;
    assert!(after.contains("已退订") && after.contains("id=\"order-refunded\""));
    assert!(!after.contains("id=\"unsubscribe-form\""));
    assert!(
        app.count(&format!(
            "SELECT (refunded * 100)::bigint AS n FROM orders WHERE id = {id}"
        )) > 0
    );
}

#[tokio::test]
async fn a_malformed_or_foreign_choice_is_refused_and_pays_nothing() {
    let app = spawn_app().await;
    product(&app, "sp-bad", Some("10.00"), None, false);
    let nw = org_id(&app, "Northwind Distribution");
    let globex = customer_id(&app, "cfo@globex.test");
    let theirs = issue_one(&app, voucher_grant(&app, nw, "100.00"), globex, "5.00");
    let acme = customer_id(&app, "it@acme.test");
    let voucher = issue_one(&app, voucher_grant(&app, nw, "100.00"), acme, "5.00");
    deposit(&app, acme, "20.00");
    let it = app.signed_in("it@acme.test").await;
    let id = place(&it, "sp-bad", "month").await;
    let page = format!("/fee-center/orders/{id}");
    let key = form_key(&it.get(&page).await.body);
    let (t, v) = (theirs.to_string(), voucher.to_string());
    for (fields, status) in [
        (vec![("voucher_id", "abc")], 422),
        (vec![("cash_coupon_id", "1.5")], 422),
        (vec![("voucher_id", t.as_str())], 409),
        (vec![("cash_coupon_id", v.as_str())], 409),
    ] {
        let mut all = fields.clone();
        all.push(("key", key.as_str()));
        for action in ["pay/preview", "pay"] {
            let res = it.submit(&page, &format!("{page}/{action}"), &all).await;
            assert_eq!(res.status, status, "{action} {fields:?}");
        }
    }
    let res = it
        .submit(&page, &format!("{page}/pay"), &[("key", "x")])
        .await;
    assert_eq!(res.status, 400, "a broken key");
    assert_eq!(state_of(&app, id), "pending_payment");
}
