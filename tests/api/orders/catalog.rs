//! rule P1 catalog at `/ops/catalog`: operators add, change, stop and resume products; prices
//! carry 8 decimals (B1); the tax rate is 6 or 13; at least one term; every refusal comes back
//! beside its field with the values kept; only operators open it.

use super::{place, product, text};
use crate::support::spawn_app;

const FIELDS: [(&str, &str); 7] = [
    ("code", "gpu.p2.large"),
    ("name_en", "GPU p2 large"),
    ("name_zh", "GPU 加速型 p2"),
    ("service", "ECS"),
    ("monthly_price", "1234.56789012"),
    ("yearly_price", ""),
    ("tax_rate", "13"),
];

/// The form's fields, the field whose message is expected, and a value the page keeps.
type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, &'a str);

fn with<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    FIELDS
        .iter()
        .map(|(k, v)| {
            let v = changes.iter().find(|(c, _)| c == k).map_or(*v, |(_, v)| *v);
            (*k, v)
        })
        .collect()
}

#[tokio::test]
async fn an_operator_adds_a_product_with_an_eight_decimal_price_and_edits_it() {
    let app = spawn_app().await;
    let ops = app.signed_in("ops@demo.test").await;
    let mut fields = with(&[]);
    fields.push(("needs_review", "1"));
    let res = ops
        .submit("/ops/catalog/new", "/ops/catalog", &fields)
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    let id = app.id_of("SELECT id AS n FROM products WHERE code = 'gpu.p2.large'");
    assert_eq!(
        text(
            &app,
            &format!("SELECT monthly_price::text AS t FROM products WHERE id = {id}")
        ),
        "1234.56789012"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM products WHERE id = {id} AND yearly_price IS NULL \
             AND tax_rate = 13 AND needs_review AND active"
        )),
        1
    );
    let list = ops.get("/ops/catalog?q=gpu").await;
    assert!(list.contains("gpu.p2.large") && list.contains("1234.56789012"));
    // Edit: the code stays whatever the form sends.
    let edit = format!("/ops/catalog/{id}");
    let res = ops
        .submit(
            &edit,
            &edit,
            &with(&[
                ("code", "other.code"),
                ("yearly_price", "12000"),
                ("tax_rate", "6"),
            ]),
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM products WHERE id = {id} AND code = 'gpu.p2.large' \
             AND yearly_price = 12000 AND tax_rate = 6 AND NOT needs_review"
        )),
        1
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'product.%' AND subject_id = (SELECT id::text FROM products WHERE code = 'gpu.p2.large')"),
        2
    );
}

#[tokio::test]
async fn bad_catalog_input_comes_back_beside_its_field_with_the_values_kept() {
    let app = spawn_app().await;
    let ops = app.signed_in("ops@demo.test").await;
    let before = app.count("SELECT count(*) AS n FROM products");
    let long_name = "长".repeat(121);
    let cases: Vec<Case> = vec![
        (
            with(&[("monthly_price", "1.123456789")]),
            "monthly_price",
            "1.123456789",
        ),
        (with(&[("monthly_price", "abc")]), "monthly_price", "abc"),
        (with(&[("monthly_price", "-5")]), "monthly_price", "-5"),
        (
            with(&[("monthly_price", "0.001")]),
            "monthly_price",
            "0.001",
        ),
        (with(&[("yearly_price", "1e5")]), "yearly_price", "1e5"),
        (with(&[("tax_rate", "7")]), "tax_rate", "GPU 加速型 p2"),
        (with(&[("tax_rate", "")]), "tax_rate", "GPU 加速型 p2"),
        (
            with(&[("monthly_price", ""), ("yearly_price", "")]),
            "monthly_price",
            "gpu.p2.large",
        ),
        (with(&[("code", "Bad Code")]), "code", "Bad Code"),
        (with(&[("name_en", "")]), "name_en", "gpu.p2.large"),
        (with(&[("name_zh", &long_name)]), "name_zh", "gpu.p2.large"),
        (with(&[("service", "NOPE")]), "service", "gpu.p2.large"),
        (with(&[("service", "")]), "service", "gpu.p2.large"),
        (with(&[("code", "ecs.s6.large")]), "code", "ecs.s6.large"),
    ];
    for (fields, field, kept) in cases {
        let res = ops
            .submit("/ops/catalog/new", "/ops/catalog", &fields)
            .await;
        assert_eq!(res.status, 422, "{field}: {fields:?}");
        assert!(
            res.contains(&format!("id=\"e-{field}\"")),
            "{field}: {}",
            res.body
        );
        assert!(res.contains(kept), "{field}: the typed value is kept");
    }
    assert_eq!(app.count("SELECT count(*) AS n FROM products"), before);
}

#[tokio::test]
async fn a_stopped_product_is_not_offered_and_cannot_be_ordered_until_resumed() {
    let app = spawn_app().await;
    product(&app, "stop-me", Some("10.00"), None, false);
    let id = app.id_of("SELECT id AS n FROM products WHERE code = 'stop-me'");
    let ops = app.signed_in("ops@demo.test").await;
    let res = ops
        .submit("/ops/catalog", &format!("/ops/catalog/{id}/stop"), &[])
        .await;
    assert_eq!(res.status, 303);
    let it = app.signed_in("it@acme.test").await;
    assert!(!it.get("/fee-center/orders/new").await.contains("stop-me"));
    let form = it.get("/fee-center/orders/new").await;
    let key = crate::support::http::form_key(&form.body);
    let res = it
        .submit(
            "/fee-center/orders/new",
            "/fee-center/orders/new",
            &[("product", "stop-me"), ("term", "month"), ("key", &key)],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.contains("id=\"e-product\""));
    ops.submit("/ops/catalog", &format!("/ops/catalog/{id}/resume"), &[])
        .await;
    assert!(place(&it, "stop-me", "month").await > 0);
}

#[tokio::test]
async fn only_operators_open_the_catalog() {
    let app = spawn_app().await;
    for email in ["admin@northwind.test", "it@acme.test"] {
        let c = app.signed_in(email).await;
        for path in ["/ops/catalog", "/ops/catalog/new", "/ops/orders"] {
            assert_eq!(c.get(path).await.status, 403, "{email} {path}");
        }
    }
    let ops = app.signed_in("ops@demo.test").await;
    assert_eq!(ops.get("/ops/catalog/99999999").await.status, 404);
    assert_eq!(
        ops.get("/ops/catalog/99999999999999999999").await.status,
        404
    );
    assert_eq!(ops.get("/ops/catalog/abc").await.status, 404);
}
