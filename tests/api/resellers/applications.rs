//! rule R2 through the real SMTP listener: a customer applies naming a distributor; an
//! operator decides first, then the distributor; every step mails the applicant; approval makes
//! the customer account the new reseller's admin.

use crate::support::http::Client;
use crate::support::{PASSWORD, TestApp, spawn_app};

fn northwind(app: &TestApp) -> String {
    super::northwind(app).to_string()
}

async fn apply(c: &Client, distributor: &str, message: &str) -> crate::support::http::Page {
    c.submit(
        "/fee-center/reseller-application",
        "/fee-center/reseller-application",
        &[("distributor_id", distributor), ("message", message)],
    )
    .await
}

fn mails_to(app: &TestApp, to: &str) -> Vec<String> {
    app.mail
        .messages()
        .into_iter()
        .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(to)))
        .map(|m| m.subject)
        .collect()
}

async fn wait_for_mails(app: &TestApp, to: &str, n: usize) -> Vec<String> {
    for _ in 0..100 {
        let got = mails_to(app, to);
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("expected {n} mails to {to}, got {:?}", mails_to(app, to));
}

async fn decide(
    c: &Client,
    page: &str,
    id: i64,
    decision: &str,
    reason: &str,
) -> crate::support::http::Page {
    c.submit(
        page,
        &format!("{page}/{id}/decide"),
        &[("decision", decision), ("reason", reason)],
    )
    .await
}

#[tokio::test]
async fn the_distributor_sees_an_application_only_after_the_operator_and_approval_converts_the_account()
 {
    let app = spawn_app().await;
    let umbrella = app.signed_in("hello@umbrella.test").await;
    let form = umbrella.get("/fee-center/reseller-application").await;
    assert_eq!(form.status, 200);
    assert!(form.contains("Northwind Distribution"));
    let res = apply(&umbrella, &northwind(&app), "We resell in the south").await;
    assert_eq!(res.status, 303, "{}", res.body);
    let id = app.id_of("SELECT id AS n FROM reseller_applications WHERE company = 'Umbrella'");
    wait_for_mails(&app, "hello@umbrella.test", 1).await;
    // A second application while one waits is refused beside the field.
    let again = apply(&umbrella, &northwind(&app), "").await;
    assert_eq!(again.status, 409);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM reseller_applications WHERE company = 'Umbrella'"),
        1
    );

    // Before the operator approves, the distributor neither sees nor decides it.
    let admin = app.signed_in("admin@northwind.test").await;
    let tab = admin.get("/partner/resellers/applications").await;
    assert_eq!(tab.status, 200);
    assert!(!tab.contains("Umbrella"));
    let res = decide(&admin, "/partner/resellers/applications", id, "approve", "").await;
    assert_eq!(res.status, 409);
    assert_eq!(
        app.count(&format!("SELECT count(*) AS n FROM reseller_applications WHERE id = {id} AND state = 'awaiting_operator'")),
        1
    );

    let ops = app.signed_in("ops@demo.test").await;
    let list = ops.get("/ops/applications").await;
    assert!(list.contains("Umbrella") && list.contains("We resell in the south"));
    // A rejection needs its reason; an approval does not.
    let res = decide(&ops, "/ops/applications", id, "reject", " ").await;
    assert_eq!(res.status, 409);
    assert!(res.contains("reason") || res.contains("原因"));
    let res = decide(&ops, "/ops/applications", id, "approve", "").await;
    assert_eq!(res.status, 303);
    // A double submit of the decision is refused, not applied twice.
    let res = decide(&ops, "/ops/applications", id, "approve", "").await;
    assert_eq!(res.status, 409);
    wait_for_mails(&app, "hello@umbrella.test", 2).await;

    let tab = admin.get("/partner/resellers/applications").await;
    assert!(
        tab.contains("Umbrella") && tab.contains("Approved by the platform")
            || tab.contains("平台审核通过")
    );
    let res = decide(
        &admin,
        "/partner/resellers/applications",
        id,
        "approve",
        "Welcome",
    )
    .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let subjects = wait_for_mails(&app, "hello@umbrella.test", 3).await;
    assert!(
        subjects[2].contains("reseller of Northwind") || subjects[2].contains("云经销商"),
        "{subjects:?}"
    );

    // The customer account is the new reseller's admin now.
    let org = app.id_of(
        "SELECT o.id AS n FROM organizations o JOIN reseller_applications a ON a.reseller_org_id = o.id \
         WHERE o.kind = 'reseller' AND o.name = 'Umbrella'",
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM users WHERE email = 'hello@umbrella.test' AND org_id = {org} \
             AND audience = 'partner' AND role = 'admin' AND customer_id IS NULL"
        )),
        1
    );
    let again = app.client();
    assert_eq!(
        again.sign_in("hello@umbrella.test", PASSWORD).await.status,
        303
    );
    assert!(
        again
            .get("/partner/account")
            .await
            .contains("Northwind Distribution")
    );
    // Both sides keep the history.
    let history = ops.get("/ops/applications?state=all").await;
    assert!(history.contains("Welcome"));
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM reseller_application_steps WHERE application_id = {id}"
        )),
        3
    );
}

#[tokio::test]
async fn rejections_are_mailed_with_their_reason_and_roles_are_kept() {
    let app = spawn_app().await;
    let umbrella = app.signed_in("hello@umbrella.test").await;
    // Only a distributor can be named.
    let contoso = app.id_of("SELECT id AS n FROM organizations WHERE name = 'Contoso Solutions'");
    for bad in [
        contoso.to_string(),
        "abc".into(),
        "".into(),
        "999999".into(),
    ] {
        let res = apply(&umbrella, &bad, "").await;
        assert!(
            res.status == 409 || res.status == 422,
            "{bad}: {}",
            res.status
        );
    }
    let res = apply(&umbrella, &northwind(&app), &"x".repeat(501)).await;
    assert_eq!(res.status, 422);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM reseller_applications WHERE company = 'Umbrella'"),
        0
    );

    apply(&umbrella, &northwind(&app), "").await;
    let id = app.id_of("SELECT id AS n FROM reseller_applications WHERE company = 'Umbrella'");
    let ops = app.signed_in("ops@demo.test").await;
    let res = decide(
        &ops,
        "/ops/applications",
        id,
        "reject",
        "Incomplete company details",
    )
    .await;
    assert_eq!(res.status, 303);
    let mails = app.mail.wait_for_to("hello@umbrella.test", 5).await;
    let mut found = false;
    for _ in 0..100 {
        if app
            .mail
            .messages()
            .iter()
            .any(|m| m.text.contains("Incomplete company details"))
        {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        found,
        "the rejection mail carries the reason: {}",
        mails.text
    );
    // A rejected application can be followed and a new one sent.
    let page = umbrella.get("/fee-center/reseller-application").await;
    assert!(page.contains("Incomplete company details"));
    assert_eq!(apply(&umbrella, &northwind(&app), "").await.status, 303);

    // Who may open what.
    for who in ["admin@northwind.test", "it@acme.test"] {
        let c = app.signed_in(who).await;
        assert_eq!(c.get("/ops/applications").await.status, 403, "{who}");
    }
    for who in [
        "lead@northwind.test",
        "mgr1@northwind.test",
        "admin@bluebird.test",
        "admin@contoso.test",
        "it@acme.test",
    ] {
        let c = app.signed_in(who).await;
        assert_eq!(
            c.get("/partner/resellers/applications").await.status,
            403,
            "{who}"
        );
    }
    let admin = app.signed_in("admin@northwind.test").await;
    assert_eq!(
        admin.get("/fee-center/reseller-application").await.status,
        403
    );
}
