//! Recovering coupons (rules K3, K4, C6): only usable ones, the whole balance, back to the
//! grant each came from; one at a time, in bulk with a result per coupon, and when a customer
//! is unassociated.

mod bulk;

use partner_center::services::coupons::CouponRefusal;
use partner_center::services::coupons::list::recovery::{RecoveryResult, recover_each};
use partner_center::services::coupons::recover::recover;
use partner_center::services::{Refusal, ServiceError};

use super::{
    assert_ledger_verifies, cash_grant, coupon_cents, customer_id, grant_cents, ids_on, issue_as,
    issue_one, make_past, member, org_id, use_up, voucher_grant,
};
use crate::support::spawn_app;

fn state_of(app: &crate::support::TestApp, coupon: i64) -> i64 {
    // 0 usable, 1 used, 2 expired, 3 recovered
    app.count(&format!(
        "SELECT CASE state WHEN 'usable' THEN 0 WHEN 'used' THEN 1 WHEN 'expired' THEN 2 \
         ELSE 3 END::bigint AS n FROM coupons WHERE id = {coupon}"
    ))
}

fn transfers(app: &crate::support::TestApp) -> i64 {
    app.count("SELECT count(*) AS n FROM ledger_transfers")
}

#[tokio::test]
async fn recovering_a_used_or_expired_coupon_is_refused_and_moves_nothing() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let acme = customer_id(&app, "it@acme.test");
    let grant = voucher_grant(&app, nw, "100.00");
    let used = issue_one(&app, grant, acme, "10.00");
    let expired = issue_one(&app, grant, acme, "20.00");
    use_up(&app, used);
    make_past(&app, expired);
    let admin_caller = member(&app, "admin@northwind.test");
    partner_center::services::coupons::recover::expire_due(
        &mut app.conn(),
        &partner_center::domain::Caller::system("t"),
    )
    .expect("expiry");
    assert_eq!(state_of(&app, expired), 2);
    let grant_before = grant_cents(&app, grant);
    let moved_before = transfers(&app);
    for coupon in [used, expired] {
        let res = recover(&mut app.conn(), &admin_caller, coupon, "");
        assert!(
            matches!(
                res,
                Err(ServiceError::Refused(Refusal::Coupon(
                    CouponRefusal::NotUsable
                )))
            ),
            "{res:?}"
        );
    }
    // Over HTTP: the coupon page again with the reason, 409, nothing moved.
    let admin = app.signed_in("admin@northwind.test").await;
    for coupon in [used, expired] {
        let page = format!("/partner/coupons/{coupon}");
        let token = admin.get(&format!("/partner/coupons/{used}")).await.csrf();
        let res = admin
            .post_raw(
                &format!("{page}/recover"),
                &[("csrf_token", &token), ("remark", "try")],
            )
            .await;
        assert_eq!(res.status, 409, "{page}");
        assert!(res.contains("id=\"refusal\""), "the reason is shown");
        assert!(res.contains("只有可使用状态的优惠券可以回收"));
    }
    assert_eq!(state_of(&app, used), 1);
    assert_eq!(state_of(&app, expired), 2);
    assert_eq!(grant_cents(&app, grant), grant_before);
    assert_eq!(transfers(&app), moved_before);
    assert_eq!(coupon_cents(&app, used), 0);
    // A too long remark is refused beside the field, with the value kept.
    let usable = issue_one(&app, grant, acme, "5.00");
    let long = "x".repeat(257);
    let res = admin
        .submit(
            &format!("/partner/coupons/{usable}"),
            &format!("/partner/coupons/{usable}/recover"),
            &[("remark", &long)],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.contains("aria-invalid=\"true\"") && res.contains(&long));
    assert_eq!(state_of(&app, usable), 0);
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn a_recovered_coupon_goes_back_to_the_grant_it_came_from_not_another() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let acme = customer_id(&app, "it@acme.test");
    let first = voucher_grant(&app, nw, "100.00");
    let second = voucher_grant(&app, nw, "100.00");
    let coupon = issue_one(&app, second, acme, "30.00");
    // Part of it paid an order: the rest comes back.
    {
        let mut conn = app.conn();
        let account = app.id_of(&format!(
            "SELECT account_id AS n FROM coupons WHERE id = {coupon}"
        ));
        let platform = partner_center::ledger::accounts::platform(
            &mut conn,
            partner_center::ledger::AccountKind::Platform,
        )
        .unwrap();
        partner_center::ledger::transfer(
            &mut conn,
            &partner_center::ledger::TransferRequest {
                from: account,
                to: platform.id,
                amount: partner_center::domain::Money::parse_positive("12.00").unwrap(),
                kind: partner_center::services::coupons::kinds::USE,
                idempotency_key: "part-use",
                memo: "order",
                reverses: None,
            },
            &partner_center::domain::Caller::system("t"),
        )
        .unwrap();
    }
    assert_eq!(grant_cents(&app, second), 7000);
    let admin = app.signed_in("admin@northwind.test").await;
    let res = admin
        .submit(
            &format!("/partner/coupons/{coupon}"),
            &format!("/partner/coupons/{coupon}/recover"),
            &[("remark", "reissue")],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(
        grant_cents(&app, second),
        8800,
        "18.00 back to its own grant"
    );
    assert_eq!(
        grant_cents(&app, first),
        10000,
        "the other grant is untouched"
    );
    assert_eq!(coupon_cents(&app, coupon), 0);
    assert_eq!(state_of(&app, coupon), 3);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE action = 'coupon.recovered' \
             AND subject_id = '{coupon}' AND after->>'remark' = 'reissue'"
        )),
        1
    );
    // A second submit is refused and moves nothing.
    let res = admin
        .submit(
            &format!("/partner/coupons/{coupon}"),
            &format!("/partner/coupons/{coupon}/recover"),
            &[("remark", "")],
        )
        .await;
    assert_eq!(res.status, 409);
    assert_eq!(grant_cents(&app, second), 8800);
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn unassociating_a_customer_recovers_its_usable_coupons_and_leaves_used_ones() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let acme = customer_id(&app, "it@acme.test");
    let globex = customer_id(&app, "cfo@globex.test");
    let vouchers = voucher_grant(&app, nw, "100.00");
    let cash = cash_grant(&app, nw, "100.00");
    let v = issue_one(&app, vouchers, acme, "10.00");
    let c = issue_one(&app, cash, acme, "20.00");
    let used = issue_one(&app, vouchers, acme, "5.00");
    let other = issue_one(&app, vouchers, globex, "7.00");
    use_up(&app, used);
    // Acme also holds the demo data's usable coupons from Northwind: they come back too.
    let usable = app.count(&format!(
        "SELECT count(*) AS n FROM coupons WHERE customer_id = {acme} \
         AND partner_id = {nw} AND state = 'usable'"
    ));
    assert!(usable >= 2);
    let admin = app.signed_in("admin@northwind.test").await;
    let confirm = format!("/partner/customers/{acme}/unassociate");
    let page = admin.get(&confirm).await;
    assert_eq!(page.status, 200);
    assert!(
        page.contains(&format!("回收的可用优惠券: {usable}")),
        "the count is shown first:\n{}",
        page.body
    );
    let res = admin.submit(&confirm, &confirm, &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(state_of(&app, v), 3);
    assert_eq!(state_of(&app, c), 3);
    assert_eq!(state_of(&app, used), 1, "a used coupon stays used");
    assert_eq!(state_of(&app, other), 0, "another customer's stays usable");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM coupons WHERE customer_id = {acme} AND state = 'usable'"
        )),
        0,
        "every usable coupon of the partner came back"
    );
    assert_eq!(grant_cents(&app, vouchers), 10000 - 500 - 700);
    assert_eq!(grant_cents(&app, cash), 10000);
    assert_eq!(coupon_cents(&app, v), 0);
    // The admin still sees the recovered coupons of the customer who left.
    let list = admin
        .get(&format!("/partner/coupons?customer={acme}&state=recovered"))
        .await;
    let ids = ids_on(&list.body);
    assert!(ids.contains(&v) && ids.contains(&c), "{ids:?}");
    assert_ledger_verifies(&app);
}
