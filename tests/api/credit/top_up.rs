//! SPEC §6 "Settlement": money reaching the balance (a top-up, R4) repays the oldest open debt
//! first, in the top-up's transaction: a credit debt goes back to the credit line, an unpaid
//! one to revenue; what is left stays on the balance.

use crate::credit::*;
use crate::support::http::form_key;
use crate::support::{TestApp, spawn_app};

fn debt_cents(app: &TestApp, debt: i64) -> (i64, bool) {
    (
        app.count(&format!(
            "SELECT (repaid * 100)::bigint AS n FROM debts WHERE id = {debt}"
        )),
        app.count(&format!(
            "SELECT count(*) AS n FROM debts WHERE id = {debt} AND settled_at IS NOT NULL"
        )) == 1,
    )
}

fn revenue(app: &TestApp) -> rust_decimal::Decimal {
    rust_decimal::Decimal::new(
        app.count(
            "SELECT COALESCE((SELECT (sum(balance) * 100)::bigint FROM ledger_accounts \
             WHERE kind = 'revenue'), 0) AS n",
        ),
        2,
    )
}

async fn top_up(app: &TestApp, customer: i64, amount: &str) {
    let admin = app.signed_in("admin@northwind.test").await;
    let form = format!("/partner/customers/{customer}/top-up");
    let key = form_key(&admin.get(&form).await.body);
    let res = admin
        .submit(
            &form,
            &form,
            &[("amount", amount), ("remark", ""), ("key", &key)],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
}

#[tokio::test]
async fn a_top_up_repays_the_oldest_debt_first_partly_then_the_next_to_the_cent() {
    let app = spawn_app().await;
    let acme = customer(&app, "Acme Corp");
    let nw = northwind(&app);
    // The demo bills were paid by repayments of their own.
    let repaid_before =
        app.count("SELECT count(*) AS n FROM ledger_transfers WHERE kind = 'repay_debt'");
    set_limit(&app, acme, "1000.00");
    let older = use_credit(&app, acme, "300.00", 40);
    let newer = unpaid_debt(&app, acme, "200.00", 10);
    let (cash0, revenue0) = (cash(&app, nw), revenue(&app));
    assert_eq!(
        balance(&app, "customer", acme, "customer_credit"),
        dec("-300.00")
    );

    // 250.00 covers part of the older (credit) debt only.
    top_up(&app, acme, "250.00").await;
    assert_eq!(debt_cents(&app, older), (25_000, false));
    assert_eq!(debt_cents(&app, newer), (0, false));
    assert_eq!(
        balance(&app, "customer", acme, "customer_balance"),
        dec("0.00")
    );
    assert_eq!(
        balance(&app, "customer", acme, "customer_credit"),
        dec("-50.00")
    );
    assert_eq!(
        revenue(&app),
        revenue0,
        "a credit debt goes back to the credit line"
    );

    // 300.00: the older debt's 50.00, then the whole newer one, 50.00 left on the balance.
    top_up(&app, acme, "300.00").await;
    assert_eq!(debt_cents(&app, older), (30_000, true));
    assert_eq!(debt_cents(&app, newer), (20_000, true));
    assert_eq!(
        balance(&app, "customer", acme, "customer_balance"),
        dec("50.00")
    );
    assert_eq!(
        balance(&app, "customer", acme, "customer_credit"),
        dec("0.00")
    );
    assert_eq!(
        revenue(&app),
        revenue0 + dec("200.00"),
        "an unpaid debt goes to revenue"
    );
    assert_eq!(cash(&app, nw), cash0 - dec("550.00"));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM ledger_transfers WHERE kind = 'repay_debt'"),
        repaid_before + 3
    );
    // Nothing left to repay: a further top-up stays on the balance.
    top_up(&app, acme, "10.00").await;
    assert_eq!(
        balance(&app, "customer", acme, "customer_balance"),
        dec("60.00")
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM ledger_transfers WHERE kind = 'repay_debt'"),
        repaid_before + 3
    );
    ledger_ok(&app);
}
