//! Every customer page is valid HTML (SPEC §4 "Valid and accessible").

use crate::customers::common::customer_id;
use crate::support::{html, spawn_app};

#[tokio::test]
async fn customer_pages_are_valid_html() {
    let app = spawn_app().await;
    let acme = customer_id(&app, "Acme Corp");
    let admin = app.signed_in("admin@northwind.test").await;
    // A contact, so the contact table and its eye buttons are on the page.
    admin
        .submit(
            &format!("/partner/customers/{acme}/contacts/new"),
            &format!("/partner/customers/{acme}/contacts"),
            &[
                ("name", "Bo Li"),
                ("email", "bo@acme.test"),
                ("phone", "13911112222"),
                ("title", "CFO"),
            ],
        )
        .await;
    let cid = app.id_of("SELECT max(id) AS n FROM customer_contacts");
    let mut pages = Vec::new();
    for p in [
        "/partner/customers".to_string(),
        "/partner/customers?q=a&type=resale&verification=verified&sort=-since&size=50".to_string(),
        "/partner/customers/resellers".to_string(),
        format!("/partner/customers/{acme}"),
        format!("/partner/customers/{acme}/contacts/new"),
        format!("/partner/customers/{acme}/contacts/{cid}/edit"),
        format!("/partner/customers/{acme}/top-up"),
        format!("/partner/customers/{acme}/unassociate"),
        "/partner/assignments".to_string(),
    ] {
        let res = admin.get(&p).await;
        assert_eq!(res.status, 200, "{p}");
        pages.push((format!("admin{p}"), res.body));
    }
    let detail = format!("/partner/customers/{acme}");
    let reveal = admin
        .submit(
            &detail,
            &format!("/partner/customers/{acme}/reveal"),
            &[("field", "phone")],
        )
        .await;
    pages.push(("reveal".into(), reveal.body));
    let refused = admin
        .submit(
            &format!("/partner/customers/{acme}/top-up"),
            &format!("/partner/customers/{acme}/top-up"),
            &[
                ("amount", "abc"),
                ("remark", ""),
                ("key", "0123456789abcdef"),
            ],
        )
        .await;
    pages.push(("credit-refused".into(), refused.body));
    let sixth = admin
        .submit(
            &format!("/partner/customers/{acme}/contacts/new"),
            &format!("/partner/customers/{acme}/contacts"),
            &[("name", ""), ("email", "x"), ("phone", "y"), ("title", "")],
        )
        .await;
    pages.push(("contact-refused".into(), sixth.body));
    for who in ["mgr1@northwind.test", "lead@northwind.test"] {
        let c = app.signed_in(who).await;
        pages.push((
            format!("{who}-list"),
            c.get("/partner/customers").await.body,
        ));
        pages.push((format!("{who}-detail"), c.get(&detail).await.body));
    }
    html::assert_valid(&pages);
}
