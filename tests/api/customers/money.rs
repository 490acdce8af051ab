//! Crediting a customer (rule R4): through the ledger, never beyond the partner's cash, once
//! per form.

use crate::customers::common::{audit_count, customer_id};
use crate::support::http::form_key;
use crate::support::spawn_app;

fn cash(app: &crate::support::TestApp) -> String {
    app.count(
        "SELECT (a.balance * 100)::bigint AS n FROM ledger_accounts a JOIN organizations o \
         ON o.id = a.owner_org_id WHERE a.kind = 'partner_cash' AND o.name = 'Northwind Distribution'",
    )
    .to_string()
}

fn balance_cents(app: &crate::support::TestApp, customer: i64) -> i64 {
    app.count(&format!(
        "SELECT COALESCE((SELECT (balance * 100)::bigint FROM ledger_accounts \
         WHERE kind = 'customer_balance' AND owner_customer_id = {customer}), 0) AS n"
    ))
}

#[tokio::test]
async fn crediting_more_than_the_partners_cash_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let acme = customer_id(&app, "Acme Corp");
    let admin = app.signed_in("admin@northwind.test").await;
    let form = format!("/partner/customers/{acme}/top-up");
    let page = admin.get(&form).await;
    assert_eq!(page.status, 200);
    // The demo's opening 100,000.00 less what its pending withdrawal holds (issue 22), plus the
    // demo incentives paid into it (issue 23).
    let shown = partner_center::domain::money::format_amount(rust_decimal::Decimal::new(
        cash(&app).parse().unwrap(),
        2,
    ));
    assert!(page.contains(&shown), "the partner's cash {shown}");
    let key = form_key(&page.body);
    let (cash_before, transfers) = (
        cash(&app),
        app.count("SELECT count(*) AS n FROM ledger_transfers"),
    );
    // One cent more than the cash.
    let too_much = (cash_before.parse::<i64>().unwrap() + 1).to_string();
    let too_much = format!(
        "{}.{}",
        &too_much[..too_much.len() - 2],
        &too_much[too_much.len() - 2..]
    );
    let res = admin
        .submit(
            &form,
            &form,
            &[("amount", &too_much), ("remark", "too much"), ("key", &key)],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.contains("less than this amount") || res.contains("不足"));
    assert!(res.contains(&too_much), "the typed amount is kept");
    assert_eq!(cash(&app), cash_before);
    assert_eq!(balance_cents(&app, acme), 0);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM ledger_transfers"),
        transfers
    );
    assert_eq!(audit_count(&app, "customer.credited"), 0);
    // Malformed amounts come back beside the field.
    for bad in ["", "abc", "-5", "0", "1.234", "1e3"] {
        let res = admin
            .submit(
                &form,
                &form,
                &[("amount", bad), ("remark", ""), ("key", &key)],
            )
            .await;
        assert_eq!(res.status, 422, "{bad}");
    }
    let long = "x".repeat(300);
    let res = admin
        .submit(
            &form,
            &form,
            &[("amount", "1.00"), ("remark", &long), ("key", &key)],
        )
        .await;
    assert_eq!(res.status, 422);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM ledger_transfers"),
        transfers
    );
}

#[tokio::test]
async fn a_double_submitted_credit_moves_the_money_once_and_is_listed() {
    let app = spawn_app().await;
    let acme = customer_id(&app, "Acme Corp");
    let admin = app.signed_in("admin@northwind.test").await;
    let form = format!("/partner/customers/{acme}/top-up");
    let key = form_key(&admin.get(&form).await.body);
    let cash_before: i64 = cash(&app).parse().unwrap();
    let fields = [
        ("amount", "250.50"),
        ("remark", "Q4 goodwill"),
        ("key", key.as_str()),
    ];
    for _ in 0..2 {
        let res = admin.submit(&form, &form, &fields).await;
        assert_eq!(res.status, 303, "{}", res.body);
    }
    assert_eq!(balance_cents(&app, acme), 25050);
    assert_eq!(cash(&app), (cash_before - 25050).to_string());
    assert_eq!(
        app.count("SELECT count(*) AS n FROM ledger_transfers WHERE kind = 'credit_customer'"),
        1
    );
    assert_eq!(audit_count(&app, "customer.credited"), 1);
    let detail = admin.get(&format!("/partner/customers/{acme}")).await;
    assert!(detail.contains("Q4 goodwill") && detail.contains("250.50"));
    // A new form gets a new key: a second credit is a second transfer.
    let key2 = form_key(&admin.get(&form).await.body);
    assert_ne!(key, key2);
    let res = admin
        .submit(
            &form,
            &form,
            &[("amount", "1.00"), ("remark", ""), ("key", &key2)],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(balance_cents(&app, acme), 25150);
    // Supervisors and managers cannot credit.
    let lead = app.signed_in("lead@northwind.test").await;
    assert_eq!(lead.get(&form).await.status, 403);
    let res = lead
        .submit(&format!("/partner/customers/{acme}"), &form, &fields)
        .await;
    assert_eq!(res.status, 403);
}

#[tokio::test]
async fn the_earlier_credit_path_answers_308_to_the_top_up_form() {
    // rule R4: the top-up moved from /credit to /top-up; bookmarks and old forms keep working
    // (308 keeps a POST a POST).
    let app = spawn_app().await;
    let acme = customer_id(&app, "Acme Corp");
    let admin = app.signed_in("admin@northwind.test").await;
    let old = admin
        .get(&format!("/partner/customers/{acme}/credit"))
        .await;
    assert_eq!(old.status, 308);
    assert_eq!(
        old.location.as_deref(),
        Some(format!("/partner/customers/{acme}/top-up").as_str())
    );
    let form = format!("/partner/customers/{acme}/top-up");
    let posted = admin
        .submit(&form, &format!("/partner/customers/{acme}/credit"), &[])
        .await;
    assert_eq!(posted.status, 308);
    assert_eq!(posted.location.as_deref(), Some(form.as_str()));
    let new = admin
        .get(&format!("/partner/customers/{acme}/top-up"))
        .await;
    assert_eq!(new.status, 200);
    assert!(new.contains(&format!("action=\"/partner/customers/{acme}/top-up\"")));
}

#[tokio::test]
async fn a_top_up_racing_an_unassociation_waits_and_is_refused() {
    // rule R4 with C6: an unassociation holds the customer's row; a top-up posted meanwhile
    // waits for it and then finds the customer gone (404), so no money follows a customer
    // that has left.
    use diesel::{Connection, RunQueryDsl};
    let app = spawn_app().await;
    let acme = customer_id(&app, "Acme Corp");
    let admin = app.signed_in("admin@northwind.test").await;
    let form = format!("/partner/customers/{acme}/top-up");
    let key = form_key(&admin.get(&form).await.body);
    let token = admin.get(&form).await.csrf();
    let mut leaving = app.conn();
    let (tx_started, tx_go) = (
        std::sync::Arc::new(tokio::sync::Notify::new()),
        std::sync::Arc::new(std::sync::Barrier::new(2)),
    );
    let (started, go) = (tx_started.clone(), tx_go.clone());
    let unassociation = std::thread::spawn(move || {
        leaving
            .transaction::<_, diesel::result::Error, _>(|conn| {
                diesel::sql_query(format!(
                    "SELECT id FROM customers WHERE id = {acme} FOR UPDATE"
                ))
                .execute(conn)?;
                diesel::sql_query(format!(
                    "UPDATE customers SET partner_id = NULL, manager_id = NULL, association_type = NULL WHERE id = {acme}"
                ))
                .execute(conn)?;
                started.notify_one();
                go.wait();
                // Let the top-up reach the lock before this commits.
                std::thread::sleep(std::time::Duration::from_millis(500));
                Ok(())
            })
            .unwrap();
    });
    tokio::time::timeout(std::time::Duration::from_secs(10), tx_started.notified())
        .await
        .expect("the unassociation holds the customer");
    let posting = {
        let (admin, form, key, token) = (admin, form.clone(), key.clone(), token.clone());
        tokio::spawn(async move {
            admin
                .post_raw(
                    &form,
                    &[
                        ("csrf_token", token.as_str()),
                        ("amount", "10.00"),
                        ("remark", "after it left"),
                        ("key", key.as_str()),
                    ],
                )
                .await
                .status
        })
    };
    tx_go.wait();
    let status = posting.await.unwrap();
    unassociation.join().unwrap();
    assert_eq!(status, 404);
    assert_eq!(balance_cents(&app, acme), 0);
    assert_eq!(audit_count(&app, "customer.credited"), 0);
}
