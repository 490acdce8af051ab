//! `/fee-center/account` (SPEC §6 "Settlement"): the customer's balance, credit limit, credit
//! used, available credit, open debts with the overdue flag, and the movements of its balance
//! and credit line, keyset-paged. Reads never write: accounts not opened show 0.00.

use crate::credit::*;
use crate::support::html::assert_valid;
use crate::support::{TestApp, spawn_app};

fn accounts(app: &TestApp) -> i64 {
    app.count("SELECT count(*) AS n FROM ledger_accounts")
}

#[tokio::test]
async fn the_money_page_shows_balance_credit_debts_and_movements() {
    let app = spawn_app().await;
    let acme = customer(&app, "Acme Corp");
    set_limit(&app, acme, "800.00");
    let overdue = use_credit(&app, acme, "120.00", 70);
    due_in(&app, overdue, -5);
    let current = use_credit(&app, acme, "30.50", 3);
    due_in(&app, current, 20);
    let c = app.signed_in("it@acme.test").await;
    let home = c.get("/fee-center").await;
    assert!(
        home.contains("href=\"/fee-center/account\""),
        "linked from home and nav"
    );
    let before = accounts(&app);
    let page = c.get("/fee-center/account").await;
    assert_eq!(page.status, 200);
    assert!(page.contains("id=\"balance\">¥0.00"));
    assert!(page.contains("id=\"credit-limit\">¥800.00"));
    assert!(page.contains("id=\"credit-used\">¥150.50"));
    assert!(page.contains("id=\"credit-available\">¥649.50"));
    assert!(page.contains("id=\"in-arrears\""), "in arrears");
    let debts = &page.body[page.body.find("id=\"open-debts\"").unwrap()..];
    assert_eq!(debts.matches("class=\"overdue\"").count(), 1, "one overdue");
    assert!(debts.contains("¥120.00") && debts.contains("¥30.50"));
    let movements = &page.body[page.body.find("id=\"movements\"").unwrap()..];
    assert!(movements.contains("-120.00") && movements.contains("-30.50"));
    assert_eq!(accounts(&app), before, "reads never open an account");
    assert_valid(&[("fee-account".into(), page.body.clone())]);
    // Another customer sees its own page only; partners and operators are not customers.
    let g = app.signed_in("cfo@globex.test").await;
    let theirs = g.get("/fee-center/account").await;
    assert!(theirs.contains("id=\"credit-used\">¥0.00"));
    assert!(!theirs.contains("-120.00"));
    let admin = app.signed_in("admin@northwind.test").await;
    assert_ne!(admin.get("/fee-center/account").await.status, 200);
}

#[tokio::test]
async fn movements_page_newest_first_over_both_accounts() {
    let app = spawn_app().await;
    let acme = customer(&app, "Acme Corp");
    // The demo's own movements (Acme's demo orders were paid from its balance), all older.
    let demo = app.count(&format!(
        "SELECT count(*) AS n FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id \
         WHERE a.owner_customer_id = {acme} AND a.kind IN ('customer_balance', 'customer_credit')"
    ));
    set_limit(&app, acme, "10000.00");
    for i in 0..60 {
        use_credit(&app, acme, &format!("{}.00", i + 1), 1);
    }
    let c = app.signed_in("it@acme.test").await;
    let rows = |body: &str| {
        let table = &body[body.find("id=\"movements\"").unwrap()..];
        table[..table.find("</table>").unwrap()]
            .matches("<tr>")
            .count()
            - 1
    };
    let next_of = |body: &str| {
        body.split("href=\"")
            .find(|s| s.starts_with("/fee-center/account?"))
            .filter(|s| s.contains("after="))
            .map(|s| crate::coupons::unescaped(s.split('"').next().unwrap()))
    };
    // SPEC §6 "List queries": 20 a page by default.
    let first = c.get("/fee-center/account").await;
    assert_eq!(rows(&first.body), 20);
    assert!(
        first.contains("-60.00") && first.contains("-41.00"),
        "newest first"
    );
    assert!(!first.contains("-40.00"));
    let next = next_of(&first.body).expect("a next page");
    assert!(!next.contains("size="), "{next}");
    assert_eq!(rows(&c.get(&next).await.body), 20);
    // 50 when asked; the next page keeps the size.
    let first = c.get("/fee-center/account?size=50").await;
    assert_eq!(rows(&first.body), 50);
    let next = next_of(&first.body).expect("a next page");
    assert!(next.contains("size=50"), "{next}");
    let second = c.get(&next).await;
    // The 60 credit uses, then the demo's own movements (older).
    assert_eq!(rows(&second.body) as i64, (10 + demo).min(50));
    assert!(second.contains("-1.00") && !second.contains("-60.00"));
    // A size the list does not offer is the default.
    assert_eq!(rows(&c.get("/fee-center/account?size=7").await.body), 20);
    assert_eq!(c.get("/fee-center/account?size=abc").await.status, 200);
}

#[tokio::test]
async fn a_customer_without_accounts_sees_zeros_and_nothing_is_opened() {
    let app = spawn_app().await;
    let umbrella = app.id_of("SELECT id AS n FROM customers WHERE email = 'hello@umbrella.test'");
    app.count(&format!(
        "WITH d AS (DELETE FROM ledger_accounts WHERE owner_customer_id = {umbrella} RETURNING 1) \
         SELECT count(*) AS n FROM d"
    ));
    let before = accounts(&app);
    let c = app.signed_in("hello@umbrella.test").await;
    let page = c.get("/fee-center/account").await;
    assert_eq!(page.status, 200);
    for id in ["balance", "credit-limit", "credit-used", "credit-available"] {
        assert!(page.contains(&format!("id=\"{id}\">¥0.00")), "{id}");
    }
    assert_eq!(accounts(&app), before);
}
