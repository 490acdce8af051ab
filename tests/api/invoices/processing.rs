//! Processing (rule B7): the partner issues its resale customers' invoices and the platform
//! its advisory customers'; an issued invoice blocks its items until it is returned (退票),
//! a rejected one frees them; e-invoice files are PDFs or generated text, served as downloads;
//! the requester is mailed at each step.

use super::files::issue;
use super::{first_invoice, item_of, january_bill, preview, request_amount, setup, signed_in};
use crate::support::http::{Client, Page};

async fn step(c: &Client, base: &str, id: i64, what: &str, fields: &[(&str, &str)]) -> Page {
    c.submit(
        &format!("{base}/{id}"),
        &format!("{base}/{id}/{what}"),
        fields,
    )
    .await
}

#[tokio::test]
async fn an_issued_invoice_blocks_its_items_and_a_return_frees_them() {
    let s = setup(false).await;
    let jan = january_bill(&s, "100.00");
    let item = item_of(&s.app, jan, 6).to_string();
    let t = s.title.to_string();
    let pick = [
        ("title_id", t.as_str()),
        ("medium", "electronic"),
        ("mode", "items"),
        ("item_id", item.as_str()),
    ];
    let p = preview(&s.client, &pick).await;
    let request = super::request_in(&super::confirm(&s.client, &p).await);
    let invoice = first_invoice(&s.app, request);
    // Pending: the item cannot be asked for again.
    let again = preview(&s.client, &pick).await;
    assert_eq!(again.status, 422);
    assert!(
        again.contains("already on a pending or issued invoice"),
        "{}",
        again.body
    );
    let admin = signed_in(&s.app, "admin@northwind.test").await;
    let issued = issue(&admin, "/partner/invoices", invoice, "NW-100", None).await;
    assert_eq!(issued.status, 303, "{}", issued.body);
    assert_eq!(
        preview(&s.client, &pick).await.status,
        422,
        "an issued invoice blocks its items"
    );
    // An issued invoice cannot be rejected, only returned.
    let wrong = step(
        &admin,
        "/partner/invoices",
        invoice,
        "reject",
        &[("reason", "late")],
    )
    .await;
    assert_eq!(wrong.status, 422);
    let returned = step(
        &admin,
        "/partner/invoices",
        invoice,
        "return",
        &[("reason", "wrong title")],
    )
    .await;
    assert_eq!(returned.status, 303, "{}", returned.body);
    assert_eq!(
        preview(&s.client, &pick).await.status,
        200,
        "a returned invoice frees its items"
    );
    let page = s
        .client
        .get(&format!("/fee-center/invoices/{request}"))
        .await;
    assert!(page.contains("Returned") && page.contains("wrong title") && page.contains("NW-100"));
}

#[tokio::test]
async fn each_step_is_mailed_to_the_requester() {
    let s = setup(false).await;
    january_bill(&s, "1000.00");
    let admin = signed_in(&s.app, "admin@northwind.test").await;
    let base = "/partner/invoices";
    let paper = first_invoice(
        &s.app,
        request_amount(&s.client, s.title, "100.00", "paper").await,
    );
    let rejected = first_invoice(
        &s.app,
        request_amount(&s.client, s.title, "50.00", "electronic").await,
    );
    assert_eq!(issue(&admin, base, paper, "NW-200", None).await.status, 303);
    let bad = step(
        &admin,
        base,
        paper,
        "mail",
        &[("tracking_number", "no spaces!")],
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(bad.contains("id=\"e-tracking_number\"") && bad.contains("value=\"no spaces!\""));
    assert_eq!(
        step(&admin, base, paper, "mail", &[("tracking_number", "SF-1")])
            .await
            .status,
        303
    );
    assert_eq!(
        step(&admin, base, paper, "return", &[("reason", "torn")])
            .await
            .status,
        303
    );
    assert_eq!(
        step(&admin, base, rejected, "reject", &[("reason", "tax id")])
            .await
            .status,
        303
    );
    let mails = s.app.mail.wait_for(6, 20).await;
    let subjects: Vec<String> = mails
        .iter()
        .filter(|m| m.to.iter().any(|t| t == "buyer@invoice.test"))
        .map(|m| m.subject.clone())
        .collect();
    for expected in [
        "Invoice request received: 100.00",
        "Invoice request received: 50.00",
        "Invoice NW-200 issued",
        "Invoice NW-200 mailed",
        "Invoice NW-200 returned",
        "Invoice request rejected",
    ] {
        assert!(
            subjects.iter().any(|s| s == expected),
            "{expected} in {subjects:?}"
        );
    }
    let mailed = mails
        .iter()
        .find(|m| m.subject == "Invoice NW-200 mailed")
        .unwrap();
    assert!(mailed.text.contains("SF-1") && mailed.text.contains("/fee-center/invoices/"));
    let rejection = mails
        .iter()
        .find(|m| m.subject == "Invoice request rejected")
        .unwrap();
    assert!(rejection.text.contains("tax id"));
}

#[tokio::test]
async fn an_advisory_customers_request_goes_to_the_platform() {
    let s = setup(true).await;
    january_bill(&s, "500.00");
    let request = request_amount(&s.client, s.title, "120.00", "electronic").await;
    let invoice = first_invoice(&s.app, request);
    assert_eq!(
        s.app.count(&format!(
            "SELECT count(*) AS n FROM invoices WHERE id = {invoice} AND issuer_org_id IS NULL"
        )),
        1
    );
    let admin = signed_in(&s.app, "admin@northwind.test").await;
    assert_eq!(
        admin
            .get(&format!("/partner/invoices/{invoice}"))
            .await
            .status,
        404
    );
    assert!(
        !admin
            .get("/partner/invoices")
            .await
            .contains(&format!("/partner/invoices/{invoice}\""))
    );
    let ops = signed_in(&s.app, "ops@demo.test").await;
    assert!(
        ops.get("/ops/invoices")
            .await
            .contains(&format!("/ops/invoices/{invoice}\""))
    );
    assert_eq!(
        issue(&ops, "/ops/invoices", invoice, "PF-9", None)
            .await
            .status,
        303
    );
    let page = s
        .client
        .get(&format!("/fee-center/invoices/{request}"))
        .await;
    assert!(
        page.contains("Issued") && page.contains("PF-9"),
        "{}",
        page.body
    );
}
