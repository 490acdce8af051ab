//! rule R5: an operator moves a solution provider's customers to a reseller in bulk; the
//! preview equals the result, refused customers stay put, history is kept.

use crate::support::spawn_app;

#[tokio::test]
async fn the_preview_equals_the_result_and_refused_customers_stay_put() {
    let app = spawn_app().await;
    let contoso = app.id_of("SELECT id AS n FROM organizations WHERE name = 'Contoso Solutions'");
    let bluebird = super::bluebird(&app);
    let theirs: Vec<i64> = {
        use diesel::prelude::*;
        use partner_center::db::schema::customers;
        customers::table
            .filter(customers::partner_id.eq(contoso))
            .order(customers::id)
            .select(customers::id)
            .limit(3)
            .load(&mut app.conn())
            .unwrap()
    };
    assert_eq!(theirs.len(), 3, "demo: Contoso has customers");
    let acme = app.id_of("SELECT id AS n FROM customers WHERE company = 'Acme Corp'");
    // One of Contoso's customers has an unpaid bill.
    app.count(&format!(
        "WITH b AS (INSERT INTO bills (customer_id, period, amount) VALUES ({}, '2026-10-01', 9.99) RETURNING 1) SELECT count(*) AS n FROM b",
        theirs[2]
    ));
    let ops = app.signed_in("ops@demo.test").await;
    let choose = ops.get(&format!("/ops/moves?provider={contoso}")).await;
    assert_eq!(choose.status, 200);
    assert!(choose.contains(&format!("value=\"{}\"", theirs[0])));

    let mut fields = vec![
        ("provider".to_string(), contoso.to_string()),
        ("reseller".to_string(), bluebird.to_string()),
    ];
    for id in theirs.iter().chain([acme].iter()) {
        fields.push(("customer".to_string(), id.to_string()));
    }
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let before_assoc = app.count("SELECT count(*) AS n FROM associations");
    let preview = ops.submit("/ops/moves", "/ops/moves/preview", &refs).await;
    assert_eq!(preview.status, 200);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM associations"),
        before_assoc,
        "a preview changes nothing"
    );
    let outcome = |body: &str| -> Vec<String> {
        body.split("<tr class=\"")
            .skip(1)
            .map(|r| r.split('"').next().unwrap().to_string())
            .collect()
    };
    let previewed = outcome(&preview.body);
    // Lines come by customer id: Acme (not Contoso's) and the one with a bill stay.
    let mut all: Vec<i64> = theirs.iter().copied().chain([acme]).collect();
    all.sort_unstable();
    let expected: Vec<&str> = all
        .iter()
        .map(|id| {
            if *id == acme || *id == theirs[2] {
                "refused"
            } else {
                "moves"
            }
        })
        .collect();
    assert_eq!(previewed, expected);
    assert!(preview.contains("unpaid bills") || preview.contains("未付账单"));

    let result = ops.submit("/ops/moves", "/ops/moves", &refs).await;
    assert_eq!(result.status, 200);
    assert_eq!(
        outcome(&result.body),
        previewed,
        "the result equals the preview"
    );
    for (i, id) in theirs.iter().enumerate() {
        let partner = app.count(&format!(
            "SELECT COALESCE(partner_id, 0) AS n FROM customers WHERE id = {id}"
        ));
        if i < 2 {
            assert_eq!(partner, bluebird);
            assert_eq!(
                app.count(&format!(
                    "SELECT count(*) AS n FROM associations WHERE customer_id = {id} AND partner_id = {contoso} AND end_reason = 'moved_to_reseller'"
                )),
                1
            );
            assert_eq!(
                app.count(&format!(
                    "SELECT count(*) AS n FROM associations WHERE customer_id = {id} AND partner_id = {bluebird} AND ended_at IS NULL"
                )),
                1
            );
            assert_eq!(
                app.count(&format!("SELECT count(*) AS n FROM manager_assignments WHERE customer_id = {id} AND to_at IS NULL")),
                0
            );
        } else {
            assert_eq!(partner, contoso, "refused: stays put");
        }
    }
    assert_ne!(
        app.count(&format!(
            "SELECT COALESCE(partner_id, 0) AS n FROM customers WHERE id = {acme}"
        )),
        bluebird
    );
    // The kept counts follow.
    let kept = app.count(&format!("SELECT COALESCE(sum(customers), 0)::bigint AS n FROM customer_counts WHERE partner_id = {bluebird}"));
    let real = app.count(&format!(
        "SELECT count(*) AS n FROM customers WHERE partner_id = {bluebird}"
    ));
    assert_eq!(kept, real);
    // Not the partner's unassociation: nothing counts toward C9.
    assert_eq!(
        app.count(&format!("SELECT count(*) AS n FROM associations WHERE partner_id = {contoso} AND end_reason <> 'moved_to_reseller'")),
        0
    );
}

#[tokio::test]
async fn only_operators_move_and_selections_are_bounded() {
    let app = spawn_app().await;
    let contoso = app.id_of("SELECT id AS n FROM organizations WHERE name = 'Contoso Solutions'");
    let bluebird = super::bluebird(&app);
    for who in ["admin@northwind.test", "admin@contoso.test", "it@acme.test"] {
        let c = app.signed_in(who).await;
        assert_eq!(c.get("/ops/moves").await.status, 403, "{who}");
    }
    let ops = app.signed_in("ops@demo.test").await;
    let (p, r) = (contoso.to_string(), bluebird.to_string());
    let none = ops
        .submit(
            "/ops/moves",
            "/ops/moves/preview",
            &[("provider", &p), ("reseller", &r)],
        )
        .await;
    assert_eq!(none.status, 422);
    let many: Vec<String> = (1..=101).map(|i| i.to_string()).collect();
    let mut fields = vec![("provider", p.as_str()), ("reseller", r.as_str())];
    fields.extend(many.iter().map(|m| ("customer", m.as_str())));
    assert_eq!(
        ops.submit("/ops/moves", "/ops/moves", &fields).await.status,
        422
    );
    // A reseller that is not one, or a provider that is not one, is not found.
    let northwind = super::northwind(&app).to_string();
    let res = ops
        .submit(
            "/ops/moves",
            "/ops/moves/preview",
            &[
                ("provider", &p),
                ("reseller", &northwind),
                ("customer", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, 404);
    let res = ops
        .submit(
            "/ops/moves",
            "/ops/moves/preview",
            &[("provider", "abc"), ("reseller", &r), ("customer", "1")],
        )
        .await;
    assert_eq!(res.status, 400);
}
