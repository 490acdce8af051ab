//! `/partner/customers/{id}/credit-limit` (SPEC §6 "Settlement"; field `credit_limit`): admins of
//! the customer's partner set a resale customer's limit; below the credit used is refused with
//! the form kept (never a 500); other roles 403, another partner's customer 404.

use crate::credit::*;
use crate::support::html::assert_valid;
use crate::support::spawn_app;

fn limit_of(app: &crate::support::TestApp, customer: i64) -> i64 {
    app.count(&format!(
        "SELECT COALESCE((SELECT (credit_limit * 100)::bigint FROM ledger_accounts \
         WHERE kind = 'customer_credit' AND owner_customer_id = {customer}), -1) AS n"
    ))
}

#[tokio::test]
async fn an_admin_sets_a_limit_and_the_customer_page_shows_limit_used_and_available() {
    let app = spawn_app().await;
    let acme = customer(&app, "Acme Corp");
    let admin = app.signed_in("admin@northwind.test").await;
    let detail = admin.get(&format!("/partner/customers/{acme}")).await;
    let form = format!("/partner/customers/{acme}/credit-limit");
    assert!(
        detail.contains(&format!("href=\"{form}\"")),
        "linked for admins"
    );
    let page = admin.get(&form).await;
    assert_eq!(page.status, 200);
    assert!(page.contains("name=\"credit_limit\""));
    let res = admin
        .submit(&form, &form, &[("credit_limit", "1,500.50")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(limit_of(&app, acme), 150_050);
    assert_eq!(audits(&app, "customer.credit_limit"), 1);
    use_credit(&app, acme, "300.00", 3);
    let detail = admin.get(&format!("/partner/customers/{acme}")).await;
    assert!(detail.contains("id=\"credit-limit\">¥1,500.50"), "limit");
    assert!(detail.contains("id=\"credit-used\">¥300.00"), "used");
    assert!(
        detail.contains("id=\"credit-available\">¥1,200.50"),
        "available"
    );
    assert!(detail.contains("id=\"open-debts\""), "open debts listed");
    // Zero is a limit too, once nothing is used; the same value again changes nothing.
    let fresh = customer(&app, "Beacon Health");
    let form = format!("/partner/customers/{fresh}/credit-limit");
    let res = admin.submit(&form, &form, &[("credit_limit", "0")]).await;
    assert_eq!(res.status, 303);
    assert_eq!(limit_of(&app, fresh), 0);
    assert_eq!(
        audits(&app, "customer.credit_limit"),
        1,
        "0 → 0 is no change"
    );
    let page = admin.get(&form).await;
    assert_valid(&[
        ("credit_limit".into(), page.body),
        ("detail".into(), detail.body),
    ]);
    ledger_ok(&app);
}

#[tokio::test]
async fn lowering_a_limit_below_the_credit_used_is_refused_with_the_form_kept() {
    let app = spawn_app().await;
    let acme = customer(&app, "Acme Corp");
    set_limit(&app, acme, "1000.00");
    use_credit(&app, acme, "400.00", 5);
    let admin = app.signed_in("admin@northwind.test").await;
    let form = format!("/partner/customers/{acme}/credit-limit");
    let res = admin
        .submit(&form, &form, &[("credit_limit", "399.99")])
        .await;
    assert_eq!(res.status, 409, "a refusal, never a 500");
    assert!(res.contains("value=\"399.99\""), "the typed limit is kept");
    assert!(
        res.contains("cannot be lower than the credit already used")
            || res.contains("不能低于已使用")
    );
    assert!(res.contains("aria-invalid=\"true\""), "beside the field");
    assert_eq!(limit_of(&app, acme), 100_000);
    assert_eq!(audits(&app, "customer.credit_limit"), 0);
    // Exactly the credit used is allowed: nothing is left to use.
    let res = admin.submit(&form, &form, &[("credit_limit", "400")]).await;
    assert_eq!(res.status, 303);
    assert_eq!(limit_of(&app, acme), 40_000);
    ledger_ok(&app);
}

#[tokio::test]
async fn malformed_limits_come_back_beside_the_field() {
    let app = spawn_app().await;
    let acme = customer(&app, "Acme Corp");
    let admin = app.signed_in("admin@northwind.test").await;
    let form = format!("/partner/customers/{acme}/credit-limit");
    for bad in ["", "abc", "-5", "1.234", "1e3", "1,5", "99999999999999"] {
        let res = admin.submit(&form, &form, &[("credit_limit", bad)]).await;
        assert_eq!(res.status, 422, "{bad}");
        assert!(res.contains("aria-invalid=\"true\""), "{bad}");
        assert!(res.contains(&format!("value=\"{bad}\"")), "{bad} kept");
    }
    assert_eq!(audits(&app, "customer.credit_limit"), 0);
}

#[tokio::test]
async fn a_customer_that_is_not_resale_gets_a_clear_refusal() {
    let app = spawn_app().await;
    let globex = customer(&app, "Globex Ltd");
    let admin = app.signed_in("admin@northwind.test").await;
    let form = format!("/partner/customers/{globex}/credit-limit");
    let page = admin.get(&form).await;
    assert_eq!(page.status, 200);
    assert!(page.contains("for resale customers only") || page.contains("仅代售客户"));
    assert!(!page.contains("name=\"credit_limit\""), "no form");
    let detail = admin.get(&format!("/partner/customers/{globex}")).await;
    assert!(!detail.contains(&format!("href=\"{form}\"")));
    let token = page.csrf();
    let res = admin
        .post_raw(&form, &[("csrf_token", &token), ("credit_limit", "100")])
        .await;
    assert_eq!(res.status, 409);
    assert!(res.contains("for resale customers only") || res.contains("仅代售客户"));
    assert_eq!(
        limit_of(&app, globex),
        0,
        "the seeded account keeps limit 0"
    );
}

#[tokio::test]
async fn other_roles_get_403_and_another_partners_customer_404() {
    let app = spawn_app().await;
    let acme = customer(&app, "Acme Corp");
    let form = format!("/partner/customers/{acme}/credit-limit");
    for email in ["lead@northwind.test", "mgr1@northwind.test"] {
        let c = app.signed_in(email).await;
        assert_eq!(c.get(&form).await.status, 403, "{email}");
        let token = c.get(&format!("/partner/customers/{acme}")).await.csrf();
        let res = c
            .post_raw(&form, &[("csrf_token", &token), ("credit_limit", "100")])
            .await;
        assert_eq!(res.status, 403, "{email}");
        let detail = c.get(&format!("/partner/customers/{acme}")).await;
        assert!(
            !detail.contains(&format!("href=\"{form}\"")),
            "no link for {email}"
        );
        assert!(
            detail.contains("id=\"credit-available\""),
            "{email} sees the line"
        );
    }
    let contoso = app.signed_in("admin@contoso.test").await;
    assert_eq!(contoso.get(&form).await.status, 404);
    let token = contoso.get("/partner").await.csrf();
    let res = contoso
        .post_raw(&form, &[("csrf_token", &token), ("credit_limit", "100")])
        .await;
    assert_eq!(res.status, 404);
    assert_eq!(audits(&app, "customer.credit_limit"), 0);
}
