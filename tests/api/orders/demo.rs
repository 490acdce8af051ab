//! The demo orders (issue 22 "Demo data"): a catalog of products over several services (both
//! terms and yearly only, one that needs review, tax 6% and 13%), orders in every state for
//! Acme and Globex, a 代付 request from a Northwind customer waiting for Northwind, nothing for
//! Umbrella; the demo mails nobody and the ledger verifies.

use super::{assert_ledger_verifies, customer_id, org_id};
use crate::support::spawn_app;

#[tokio::test]
async fn the_demo_has_a_catalog_and_orders_in_every_state() {
    let app = spawn_app().await;
    assert!(app.count("SELECT count(*) AS n FROM products") >= 8);
    assert!(app.count("SELECT count(DISTINCT service_code) AS n FROM products") >= 5);
    for cond in [
        "needs_review",
        "tax_rate = 6",
        "tax_rate = 13",
        "monthly_price IS NULL",
        "monthly_price IS NOT NULL AND yearly_price IS NOT NULL",
        "scale(monthly_price) > 2 AND monthly_price <> round(monthly_price, 2)",
    ] {
        assert!(
            app.count(&format!("SELECT count(*) AS n FROM products WHERE {cond}")) >= 1,
            "{cond}"
        );
    }
    for email in ["it@acme.test", "cfo@globex.test"] {
        let c = customer_id(&app, email);
        assert_eq!(
            app.count(&format!(
                "SELECT count(DISTINCT state) AS n FROM orders WHERE customer_id = {c} \
                 AND state IN ('pending_review', 'pending_payment', 'completed', 'cancelled')"
            )),
            4,
            "{email}"
        );
        assert!(
            app.count(&format!(
                "SELECT count(*) AS n FROM orders WHERE customer_id = {c} \
                 AND state IN ('processing', 'completed') AND payer = 'customer'"
            )) >= 2,
            "{email}: paid orders (one still provisioning when the demo loads)"
        );
        assert!(
            app.count(&format!(
                "SELECT count(*) AS n FROM orders WHERE customer_id = {c} AND reason = 'expired'"
            )) >= 1
        );
    }
    let nw = org_id(&app, "Northwind Distribution");
    assert!(
        app.count(&format!(
            "SELECT count(*) AS n FROM orders WHERE partner_id = {nw} \
             AND pay_request = 'requested' AND state = 'pending_payment'"
        )) >= 1,
        "a 代付 request waits for Northwind"
    );
    assert!(app.count("SELECT count(*) AS n FROM orders WHERE pay_request = 'rejected'") >= 1);
    for email in ["it@acme.test", "cfo@globex.test"] {
        let c = customer_id(&app, email);
        assert_eq!(
            super::balance_cents(&app, c),
            0,
            "{email}: paid orders leave the demo balance at 0.00"
        );
    }
    let umbrella = customer_id(&app, "hello@umbrella.test");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM orders WHERE customer_id = {umbrella}"
        )),
        0
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM outbox WHERE kind LIKE 'order_%'"),
        0,
        "the demo mails nobody"
    );
    let admin = app.signed_in("admin@northwind.test").await;
    let to_pay = admin.get("/partner/orders").await;
    assert!(to_pay.contains("Globex"), "the request is under to pay");
    assert_ledger_verifies(&app);
}
