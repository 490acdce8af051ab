//! rule P1 ordering at `/fee-center/orders/new` (SPEC §6 fields `product`, `term`): the order
//! records its price with 8 decimals, the amount truncated toward zero to the cent and the
//! cut-off (B1), and the customer's partner, association type and signing entity; a product
//! that needs review starts pending review; a double submit places one order; bad input comes
//! back beside its field, never a 500.

use super::{customer_id, org_id, place, product, state_of, text};
use crate::support::http::form_key;
use crate::support::spawn_app;

#[tokio::test]
async fn an_order_records_its_price_the_cents_it_charges_and_its_cut_off() {
    let app = spawn_app().await;
    product(
        &app,
        "cents-test",
        Some("123.45678901"),
        Some("1000"),
        false,
    );
    let it = app.signed_in("it@acme.test").await;
    let id = place(&it, "cents-test", "month").await;
    let row = text(
        &app,
        &format!(
            "SELECT concat_ws('|', price::text, amount::text, cut_off::text, state, term, \
             partner_id, association_type, signing_entity) AS t FROM orders WHERE id = {id}"
        ),
    );
    let acme_entity = text(
        &app,
        "SELECT signing_entity AS t FROM customers WHERE email = 'it@acme.test'",
    );
    let nw = org_id(&app, "Northwind Distribution");
    assert_eq!(
        row,
        format!("123.45678901|123.45|0.00678901|pending_payment|month|{nw}|resale|{acme_entity}")
    );
    let page = it.get(&format!("/fee-center/orders/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.contains("123.45<") && page.contains("0.00678901"));
    let yearly = place(&it, "cents-test", "year").await;
    assert_eq!(
        text(
            &app,
            &format!("SELECT amount::text AS t FROM orders WHERE id = {yearly}")
        ),
        "1000.00"
    );
}

#[tokio::test]
async fn a_product_that_needs_review_starts_pending_review() {
    let app = spawn_app().await;
    product(&app, "review-me", Some("50"), None, true);
    let it = app.signed_in("it@acme.test").await;
    let id = place(&it, "review-me", "month").await;
    assert_eq!(state_of(&app, id), "pending_review");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_double_submit_of_the_order_form_places_one_order() {
    let app = spawn_app().await;
    product(&app, "twice", Some("10"), None, false);
    let acme = customer_id(&app, "it@acme.test");
    let it = std::sync::Arc::new(app.signed_in("it@acme.test").await);
    let form = it.get("/fee-center/orders/new").await;
    let (key, token) = (form_key(&form.body), form.csrf());
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let (it, key, token) = (it.clone(), key.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            it.post_raw(
                "/fee-center/orders/new",
                &[
                    ("csrf_token", &token),
                    ("product", "twice"),
                    ("term", "month"),
                    ("key", &key),
                ],
            )
            .await
        }));
    }
    let mut places = std::collections::BTreeSet::new();
    for t in tasks {
        let res = t.await.unwrap();
        assert_eq!(res.status, 303, "{}", res.body);
        places.insert(res.location.unwrap());
    }
    assert_eq!(places.len(), 1, "every submit lands on the same order");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM orders o JOIN products p ON p.id = o.product_id \
             WHERE o.customer_id = {acme} AND p.code = 'twice'"
        )),
        1
    );
    // Another customer's form with the same key is its own order.
    let globex = app.signed_in("cfo@globex.test").await;
    let token = globex.get("/fee-center/orders/new").await.csrf();
    let res = globex
        .post_raw(
            "/fee-center/orders/new",
            &[
                ("csrf_token", &token),
                ("product", "twice"),
                ("term", "month"),
                ("key", &key),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_ne!(res.location, places.into_iter().next());
}

#[tokio::test]
async fn bad_order_input_comes_back_beside_its_field_and_never_a_500() {
    let app = spawn_app().await;
    product(&app, "monthly-only", Some("10"), None, false);
    let it = app.signed_in("it@acme.test").await;
    let before = app.count("SELECT count(*) AS n FROM orders");
    let key = form_key(&it.get("/fee-center/orders/new").await.body);
    for (product, term, field) in [
        ("", "month", "product"),
        ("no-such-product", "month", "product"),
        ("monthly-only", "year", "term"),
        ("monthly-only", "week", "term"),
        ("monthly-only", "", "term"),
    ] {
        let res = it
            .submit(
                "/fee-center/orders/new",
                "/fee-center/orders/new",
                &[("product", product), ("term", term), ("key", &key)],
            )
            .await;
        assert_eq!(res.status, 422, "{product} {term}");
        assert!(
            res.contains(&format!("id=\"e-{field}\"")),
            "{product} {term}"
        );
        if !product.is_empty() {
            assert!(
                res.contains(&format!("value=\"{product}\" checked"))
                    || product == "no-such-product"
            );
        }
    }
    for key in ["", "x", "bad key with spaces"] {
        let res = it
            .submit(
                "/fee-center/orders/new",
                "/fee-center/orders/new",
                &[("product", "monthly-only"), ("term", "month"), ("key", key)],
            )
            .await;
        assert_eq!(res.status, 400, "{key}");
    }
    assert_eq!(app.count("SELECT count(*) AS n FROM orders"), before);
    // Partners and operators do not order.
    for email in ["admin@northwind.test", "ops@demo.test"] {
        let c = app.signed_in(email).await;
        assert_eq!(c.get("/fee-center/orders/new").await.status, 403, "{email}");
    }
}
