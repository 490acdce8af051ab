//! Masking and the eye button (rule A5), contacts (rule C10) and the CSV export.

use crate::customers::common::{audit_count, customer_id, post_json};
use crate::support::{Options, spawn_app, spawn_app_with};

#[tokio::test]
async fn lists_and_detail_pages_mask_personal_data_and_each_reveal_is_audited() {
    let app = spawn_app().await;
    let acme = customer_id(&app, "Acme Corp");
    let admin = app.signed_in("admin@northwind.test").await;
    let list = admin.get("/partner/customers?q=acme").await;
    assert!(list.contains("i***@acme.test") && list.contains("138****1234"));
    assert!(!list.contains("it@acme.test") && !list.contains("13812341234"));
    let detail = format!("/partner/customers/{acme}");
    let page = admin.get(&detail).await;
    assert!(page.contains("i***@acme.test") && !page.contains("13812341234"));

    // With JavaScript: JSON back, one audit row.
    let reveal = format!("/partner/customers/{acme}/reveal");
    let (status, body) = post_json(&admin, &detail, &reveal, &[("field", "phone")]).await;
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["value"], "13812341234");
    assert_eq!(audit_count(&app, "customer.reveal"), 1);
    // Without JavaScript: a page showing that one value; another audit row.
    let res = admin.submit(&detail, &reveal, &[("field", "email")]).await;
    assert_eq!(res.status, 200);
    assert!(res.contains("it@acme.test") && !res.contains("13812341234"));
    assert_eq!(audit_count(&app, "customer.reveal"), 2);
    let fields = app.count(&format!(
        "SELECT count(*) AS n FROM audit_log WHERE action = 'customer.reveal' \
         AND subject_id = '{acme}' AND after->>'field' IN ('phone', 'email') AND actor_email = 'admin@northwind.test'"
    ));
    assert_eq!(fields, 2);
    // Reloading the list does not reveal anything.
    assert!(
        !admin
            .get("/partner/customers?q=acme")
            .await
            .contains("13812341234")
    );
}

#[tokio::test]
async fn reveals_are_rate_limited_per_member() {
    let app = spawn_app_with(Options::default().env("PC_REVEAL_LIMIT", "3")).await;
    let acme = customer_id(&app, "Acme Corp");
    let detail = format!("/partner/customers/{acme}");
    let reveal = format!("/partner/customers/{acme}/reveal");
    let admin = app.signed_in("admin@northwind.test").await;
    for _ in 0..3 {
        let (status, _) = post_json(&admin, &detail, &reveal, &[("field", "email")]).await;
        assert_eq!(status, 200);
    }
    let (status, _) = post_json(&admin, &detail, &reveal, &[("field", "email")]).await;
    assert_eq!(status, 429);
    let res = admin.submit(&detail, &reveal, &[("field", "phone")]).await;
    assert_eq!(res.status, 429);
    assert!(!res.contains("13812341234"));
    assert_eq!(audit_count(&app, "customer.reveal"), 3);
    // The limit is per member: a colleague still can.
    let lead = app.signed_in("lead@northwind.test").await;
    let (status, _) = post_json(&lead, &detail, &reveal, &[("field", "email")]).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn parallel_reveals_stop_exactly_at_the_limit() {
    // rule A5: the reveal is counted before the value is shown, so 12 reveals at once with
    // a limit of 4 show exactly 4 values and write exactly 4 audit rows.
    let app = spawn_app_with(Options::default().env("PC_REVEAL_LIMIT", "4")).await;
    let acme = customer_id(&app, "Acme Corp");
    let detail = format!("/partner/customers/{acme}");
    let reveal = format!("/partner/customers/{acme}/reveal");
    let admin = std::sync::Arc::new(app.signed_in("admin@northwind.test").await);
    let mut all = Vec::new();
    for _ in 0..12 {
        let (admin, detail, reveal) = (admin.clone(), detail.clone(), reveal.clone());
        all.push(tokio::spawn(async move {
            post_json(&admin, &detail, &reveal, &[("field", "email")])
                .await
                .0
        }));
    }
    let mut shown = 0;
    for t in all {
        match t.await.unwrap() {
            200 => shown += 1,
            429 => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(shown, 4);
    assert_eq!(audit_count(&app, "customer.reveal"), 4);
}

#[tokio::test]
async fn a_customer_keeps_at_most_five_contacts_and_the_sixth_is_refused() {
    let app = spawn_app().await;
    let acme = customer_id(&app, "Acme Corp");
    let mgr1 = app.signed_in("mgr1@northwind.test").await;
    let form = format!("/partner/customers/{acme}/contacts/new");
    let action = format!("/partner/customers/{acme}/contacts");
    let existing = app.count(&format!(
        "SELECT count(*) AS n FROM customer_contacts WHERE customer_id = {acme}"
    ));
    for i in existing..5 {
        let email = format!("c{i}@acme.test");
        let res = mgr1
            .submit(
                &form,
                &action,
                &[
                    ("name", &format!("Contact {i}")),
                    ("email", &email),
                    ("phone", "13900001111"),
                    ("title", ""),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
    }
    let sixth = mgr1
        .submit(
            &form,
            &action,
            &[
                ("name", "Number Six"),
                ("email", ""),
                ("phone", ""),
                ("title", ""),
            ],
        )
        .await;
    assert_eq!(sixth.status, 422);
    assert!(sixth.contains("at most 5") || sixth.contains("最多保留 5"));
    assert!(sixth.contains("Number Six"), "the typed value is kept");
    let count = |app: &crate::support::TestApp| {
        app.count(&format!(
            "SELECT count(*) AS n FROM customer_contacts WHERE customer_id = {acme}"
        ))
    };
    assert_eq!(count(&app), 5);
    // Contacts are masked on the page; editing and removing work and are audited.
    let page = mgr1.get(&format!("/partner/customers/{acme}")).await;
    assert!(page.contains("c***@acme.test") && !page.contains("c1@acme.test"));
    let cid = app.id_of(&format!(
        "SELECT min(id) AS n FROM customer_contacts WHERE customer_id = {acme}"
    ));
    let edit = format!("/partner/customers/{acme}/contacts/{cid}/edit");
    let bad = mgr1
        .submit(
            &edit,
            &format!("/partner/customers/{acme}/contacts/{cid}"),
            &[
                ("name", ""),
                ("email", "not-mail"),
                ("phone", "abc"),
                ("title", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    let ok = mgr1
        .submit(
            &edit,
            &format!("/partner/customers/{acme}/contacts/{cid}"),
            &[
                ("name", "Renamed"),
                ("email", ""),
                ("phone", ""),
                ("title", "CTO"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let gone = mgr1
        .submit(
            &edit,
            &format!("/partner/customers/{acme}/contacts/{cid}/delete"),
            &[],
        )
        .await;
    assert_eq!(gone.status, 303);
    assert_eq!(count(&app), 4);
    assert_eq!(audit_count(&app, "customer.contact_changed"), 1);
    assert_eq!(audit_count(&app, "customer.contact_removed"), 1);
    // A contact of another customer cannot be reached through this one.
    let globex = customer_id(&app, "Globex Ltd");
    let admin = app.signed_in("admin@northwind.test").await;
    let other = app.id_of(&format!(
        "SELECT max(id) AS n FROM customer_contacts WHERE customer_id = {acme}"
    ));
    assert_eq!(
        admin
            .get(&format!(
                "/partner/customers/{globex}/contacts/{other}/edit"
            ))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_csv_export_is_for_admins_and_masks_personal_data() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let csv = admin.get("/partner/customers/export").await;
    assert_eq!(csv.status, 200);
    let ct = csv
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(ct.starts_with("text/csv"), "{ct}");
    assert!(csv.contains("Acme Corp") && csv.contains("Globex Ltd"));
    assert!(csv.contains("i***@acme.test") && csv.contains("138****1234"));
    assert!(!csv.contains("it@acme.test") && !csv.contains("13812341234"));
    assert!(
        !csv.contains("Initech"),
        "resellers' customers are not exported"
    );
    let rows = csv.body.lines().count() as i64 - 1;
    let total = app.count(
        "SELECT count(*) AS n FROM customers c JOIN organizations o ON o.id = c.partner_id \
         WHERE o.name = 'Northwind Distribution'",
    );
    assert_eq!(rows, total);
    let filtered = admin.get("/partner/customers/export?type=advisory").await;
    assert!(filtered.contains("Globex Ltd") && !filtered.contains("Acme Corp"));
    for who in ["lead@northwind.test", "mgr1@northwind.test"] {
        let c = app.signed_in(who).await;
        assert_eq!(
            c.get("/partner/customers/export").await.status,
            403,
            "{who}"
        );
    }
}
