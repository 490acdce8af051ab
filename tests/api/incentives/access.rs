//! Who may do what (SPEC §5 "Roles", §6 "Roles for money pages"): incentive pages are for the
//! partner's admins — supervisors and customer managers get 403, to read as well as to act —
//! and operators; another partner's incentives, requests and invoices are "not found".

use partner_center::domain::incentives::{IncentiveKind, TaxRate};
use partner_center::services::ServiceError;
use partner_center::services::incentives::invoices::{self, NewInvoice};
use partner_center::services::incentives::{apply, partner_lists};

use super::*;
use crate::support::spawn_app;

const PARTNER_PAGES: [&str; 4] = [
    "/partner/incentives",
    "/partner/incentives/payouts",
    "/partner/incentives/invoices",
    "/partner/incentives/invoices/new",
];

#[tokio::test]
async fn supervisors_and_managers_get_403_and_see_no_link() {
    let app = spawn_app().await;
    let id = staff_incentives(&app, 13, &["10.00"])[0];
    for email in ["lead@northwind.test", "mgr1@northwind.test"] {
        let c = app.signed_in(email).await;
        let home = c.get("/partner").await;
        assert!(
            !home.contains("href=\"/partner/incentives\""),
            "{email}: no nav link"
        );
        for path in PARTNER_PAGES {
            assert_eq!(c.get(path).await.status, 403, "{email} {path}");
        }
        let token = home.csrf();
        let key = "0123456789abcdef";
        let res = c
            .post_raw(
                &format!("/partner/incentives/{id}/apply"),
                &[("csrf_token", &token), ("key", key)],
            )
            .await;
        assert_eq!(res.status, 403, "{email}");
        let res = c
            .post_raw(
                "/partner/incentives/apply",
                &[
                    ("csrf_token", &token),
                    ("key", key),
                    ("incentive_id", &id.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status, 403, "{email}");
        let caller = member(&app, email);
        let e = partner_lists::incentives(&mut app.conn(), &caller, "", None, None, 20);
        assert!(matches!(e, Err(ServiceError::Forbidden)));
    }
    assert_eq!(payout_of_or_zero(&app, id), 0, "nothing applied");
    let admin = app.signed_in(NW_ADMIN).await;
    assert!(
        admin
            .get("/partner")
            .await
            .contains("href=\"/partner/incentives\"")
    );
    // Partners and customers open no operator page; operators no partner page.
    for path in [
        "/ops/incentives",
        "/ops/incentives/payouts",
        "/ops/incentives/invoices",
        "/ops/incentives/new",
    ] {
        assert_eq!(admin.get(path).await.status, 403, "{path}");
    }
    let customer = app.signed_in("it@acme.test").await;
    assert_eq!(customer.get("/partner/incentives").await.status, 403);
    let ops = app.signed_in(OPS).await;
    assert_eq!(ops.get("/partner/incentives").await.status, 403);
    assert_eq!(
        app.client().get("/partner/incentives").await.status,
        303,
        "sign in first"
    );
}

fn payout_of_or_zero(app: &TestApp, id: i64) -> i64 {
    app.count(&format!(
        "SELECT COALESCE(payout_id, 0) AS n FROM incentives WHERE id = {id}"
    ))
}

#[tokio::test]
async fn another_partners_incentives_requests_and_invoices_are_not_found() {
    let app = spawn_app().await;
    let nw = northwind(&app);
    let contoso = app.signed_in("admin@contoso.test").await;
    let admin = app.signed_in(NW_ADMIN).await;
    let ids = staff_incentives(&app, 13, &["10.00", "20.00"]);
    assert_eq!(apply_one(&contoso, ids[0]).await.status, 404);
    assert_eq!(apply_batch(&contoso, &ids).await.status, 404);
    assert_eq!(apply_one(&contoso, 999_999_999).await.status, 404);
    // A mix of one's own and another's is not found either, and applies nothing.
    let own = incentive(
        &app,
        org(&app, "Contoso Solutions"),
        13,
        IncentiveKind::Staff,
        "5.00",
    );
    assert_eq!(apply_batch(&contoso, &[own, ids[1]]).await.status, 404);
    assert_eq!(payout_of_or_zero(&app, own), 0);

    assert_eq!(apply_one(&admin, ids[0]).await.status, 303);
    approve_and_pay(&app, payout_of(&app, ids[0]));
    let pdf: &[u8] = b"%PDF-1.4 x";
    let res = invoice(
        &admin,
        &invoice_fields(&strings(&ids[..1]), "6", "ACC-1", &today_text()),
        Some(pdf),
    )
    .await;
    assert_eq!(res.status, 303);
    let inv = app.id_of("SELECT id AS n FROM incentive_invoices WHERE number = 'ACC-1'");
    assert_eq!(
        contoso
            .get(&format!("/partner/incentives/invoices/{inv}/file"))
            .await
            .status,
        404
    );
    assert_eq!(
        admin
            .get(&format!("/partner/incentives/invoices/{inv}/file"))
            .await
            .status,
        200
    );
    // Contoso cannot invoice Northwind's paid incentive.
    let c = member(&app, "admin@contoso.test");
    let new = NewInvoice {
        incentive_ids: vec![ids[1], ids[0]],
        tax_rate: TaxRate::Six,
        number: "ACC-2".into(),
        issued_on: partner_center::services::credit::line::today(),
        file: None,
    };
    let e = invoices::submit(&mut app.conn(), &c, &new, "acc-key-0001").unwrap_err();
    assert!(matches!(e, ServiceError::NotFound), "{e:?}");
    let e = apply::apply_one(&mut app.conn(), &c, ids[1], "acc-key-0002").unwrap_err();
    assert!(matches!(e, ServiceError::NotFound), "{e:?}");
    // Their lists hold only their own.
    let page = contoso.get("/partner/incentives").await;
    assert!(!page.contains(&format!("id=\"incentive-{}\"", ids[1])));
    assert!(page.contains(&format!("id=\"incentive-{own}\"")));
    let page = contoso.get("/partner/incentives/invoices?q=ACC").await;
    assert!(!page.contains("ACC-1"));
    // Operators: unknown ids are not found.
    let ops = app.signed_in(OPS).await;
    for path in [
        "/ops/incentives/payouts/999999999",
        "/ops/incentives/invoices/999999999",
        "/ops/incentives/invoices/999999999/file",
    ] {
        assert_eq!(ops.get(path).await.status, 404, "{path}");
    }
    let _ = nw;
}
