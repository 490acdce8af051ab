//! Every invoicing page is valid HTML (SPEC §4 "Valid and accessible"), with its forms'
//! refusals too.

use super::files::issue;
use super::{ENTITY_A, bill, first_invoice, preview, request_amount, setup, signed_in};
use crate::support::html;

#[tokio::test]
async fn invoicing_pages_are_valid_html() {
    let s = setup(false).await;
    bill(
        &s.app,
        s.customer,
        "2025-01",
        ENTITY_A,
        &[(s.p6, "300.00"), (s.p13, "50.00")],
        "20.00",
    );
    let paper = request_amount(&s.client, s.title, "100.00", "paper").await;
    let pending = request_amount(&s.client, s.title, "60.00", "electronic").await;
    let admin = signed_in(&s.app, "admin@northwind.test").await;
    let inv = first_invoice(&s.app, paper);
    assert_eq!(
        issue(&admin, "/partner/invoices", inv, "NW-7", None)
            .await
            .status,
        303
    );
    let mut pages = Vec::new();
    let mut get = |name: &str, body: String| pages.push((name.to_string(), body));
    let c = &s.client;
    for p in [
        "/fee-center/invoices".to_string(),
        format!("/fee-center/invoices/{paper}"),
        format!("/fee-center/invoices/{pending}"),
        "/fee-center/invoices/new".to_string(),
        "/fee-center/invoices/titles".to_string(),
        "/fee-center/invoices/titles/new".to_string(),
        format!("/fee-center/invoices/titles/{}", s.title),
    ] {
        let res = c.get(&p).await;
        assert_eq!(res.status, 200, "{p}");
        get(&p, res.body);
    }
    let t = s.title.to_string();
    let fields = [
        ("title_id", t.as_str()),
        ("medium", "electronic"),
        ("mode", "amount"),
        ("amount", "75.00"),
    ];
    get("preview", preview(c, &fields).await.body);
    let refused = [
        ("title_id", t.as_str()),
        ("medium", "paper"),
        ("mode", "amount"),
        ("amount", "x"),
    ];
    get("request-refused", preview(c, &refused).await.body);
    let title_refused = c
        .submit(
            "/fee-center/invoices/titles/new",
            "/fee-center/invoices/titles",
            &[
                ("title_type", "organisation"),
                ("invoice_kind", "vat_special"),
                ("name", ""),
            ],
        )
        .await;
    get("title-refused", title_refused.body);
    let pending_inv = first_invoice(&s.app, pending);
    for p in [
        "/partner/invoices".to_string(),
        "/partner/invoices?q=buyer&state=pending&size=50".to_string(),
        format!("/partner/invoices/{inv}"),
        format!("/partner/invoices/{pending_inv}"),
        "/partner/invoices/titles".to_string(),
        "/partner/invoices/titles/new".to_string(),
    ] {
        let res = admin.get(&p).await;
        assert_eq!(res.status, 200, "{p}");
        get(&format!("admin{p}"), res.body);
    }
    let bad_issue = issue(&admin, "/partner/invoices", pending_inv, "", Some(b"nope")).await;
    assert_eq!(bad_issue.status, 422);
    get("issue-refused", bad_issue.body);
    let mgr = signed_in(&s.app, "mgr1@northwind.test").await;
    get("mgr-list", mgr.get("/partner/invoices").await.body);
    get(
        "mgr-detail",
        mgr.get(&format!("/partner/invoices/{inv}")).await.body,
    );
    let ops = signed_in(&s.app, "ops@demo.test").await;
    let platform = s
        .app
        .id_of("SELECT max(id) AS n FROM invoices WHERE issuer_org_id IS NULL");
    for p in [
        "/ops/invoices".to_string(),
        format!("/ops/invoices/{platform}"),
    ] {
        let res = ops.get(&p).await;
        assert_eq!(res.status, 200, "{p}");
        get(&format!("ops{p}"), res.body);
    }
    html::assert_valid(&pages);
}
