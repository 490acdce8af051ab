//! `/partner/account`: an admin sees the organisation's own cash and, one line each, its quota
//! grants (SPEC §5 "Quota grants") with their entries; other roles get 403; another
//! organisation's (or a customer's) account is 404.

use partner_center::ledger::{self, TransferRequest};

use crate::ledger::helpers::{actor, csv_rows, header, money};
use crate::ledger::ops_pages::cash_account_of;
use crate::support::spawn_app;

#[tokio::test]
async fn an_admin_sees_cash_and_each_quota_grant_on_its_own_line() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    // Reading never opens an account (SPEC §6); quota accounts are one per grant now.
    let accounts = "SELECT count(*) AS n FROM ledger_accounts";
    let before = app.count(accounts);
    let page = admin.get("/partner/account").await;
    assert_eq!(page.status, 200);
    let cash_shown = crate::ledger::ops_pages::cash_text(&app, "Northwind Distribution");
    assert!(page.contains(&format!("¥{cash_shown}")));
    let cash = cash_account_of(&app, "Northwind Distribution");
    assert!(page.contains(&format!("href=\"/partner/account/{cash}\"")));
    assert!(
        page.contains("id=\"quota-grants\""),
        "the grants' own section"
    );
    assert!(!page.contains("Contoso"));
    assert_eq!(app.count(accounts), before);
    // The demo grants (issue 21) show with what is left on them.
    let nw = app.id_of("SELECT id AS n FROM organizations WHERE name = 'Northwind Distribution'");
    let left = app.count(&format!(
        "SELECT (a.balance * 100)::bigint AS n FROM quota_grants g \
         JOIN ledger_accounts a ON a.id = g.account_id \
         WHERE g.partner_id = {nw} AND g.kind = 'cash_coupon'"
    ));
    let left = rust_decimal::Decimal::new(left, 2);
    assert!(
        page.contains(&partner_center::domain::money::format_amount(left)),
        "the cash-coupon grant's balance"
    );

    // Once the platform grants a quota, it shows as its own line with its balance, a link to
    // the grant and one to its account's entries.
    let grant = crate::coupons::voucher_grant(&app, nw, "5000");
    let quota = app.id_of(&format!(
        "SELECT account_id AS n FROM quota_grants WHERE id = {grant}"
    ));
    let page = admin.get("/partner/account").await;
    let line_start = page
        .body
        .find(&format!("id=\"grant-{grant}\""))
        .expect("grant line");
    let line = &page.body[line_start..line_start + page.body[line_start..].find("</tr>").unwrap()];
    assert!(
        line.contains("¥5,000.00") && line.contains("代金券额度"),
        "{line}"
    );
    assert!(line.contains(&format!("href=\"/partner/coupons/quotas/{grant}\"")));
    assert!(line.contains(&format!("href=\"/partner/account/{quota}\"")));
    let entries = admin.get(&format!("/partner/account/{quota}")).await;
    assert_eq!(entries.status, 200);
    assert!(entries.contains("+5,000.00") && entries.contains("test grant"));
    assert!(
        !entries.contains("/ops/ledger/accounts/"),
        "partners do not follow the other side"
    );
    // Another organisation's grant account stays not found.
    let contoso = app.id_of("SELECT id AS n FROM organizations WHERE name = 'Contoso Solutions'");
    let theirs = crate::coupons::voucher_grant(&app, contoso, "10");
    let theirs = app.id_of(&format!(
        "SELECT account_id AS n FROM quota_grants WHERE id = {theirs}"
    ));
    assert_eq!(
        admin
            .get(&format!("/partner/account/{theirs}"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn an_admin_pages_and_exports_the_cash_entries() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@bluebird.test").await;
    let nw = cash_account_of(&app, "Northwind Distribution");
    let bb = cash_account_of(&app, "Bluebird Cloud");
    // The demo's own entries (opening cash, Northwind's allocation and reclaim).
    let demo = app.count(&format!(
        "SELECT count(*) AS n FROM ledger_entries WHERE account_id = {bb}"
    ));
    {
        let mut conn = app.conn();
        for i in 1..=55 {
            let req = TransferRequest {
                from: nw,
                to: bb,
                amount: money(&format!("{i}")),
                kind: "allocation",
                idempotency_key: &format!("alloc-{i}"),
                memo: "allocation",
                reverses: None,
            };
            ledger::transfer(&mut conn, &req, &actor()).unwrap();
        }
    }
    let first = admin.get(&format!("/partner/account/{bb}")).await;
    assert_eq!(first.status, 200);
    assert!(first.contains("+55.00") && !first.contains("+5.00<"));
    let cursor = app.id_of(&format!(
        "SELECT id AS n FROM ledger_entries WHERE account_id = {bb} ORDER BY id DESC LIMIT 1 OFFSET 49"
    ));
    let next = format!("/partner/account/{bb}?after={cursor}");
    assert!(first.contains(&format!("href=\"{next}\"")));
    let second = admin.get(&next).await;
    assert!(
        second.contains("+5.00<") && second.contains("+20,000.00") && !second.contains("+6.00<")
    );

    let csv = admin.get(&format!("/partner/account/{bb}/export")).await;
    assert_eq!(csv.status, 200);
    assert!(header(&csv, "content-type").starts_with("text/csv"));
    assert_eq!(csv_rows(&csv).len() as i64, 55 + demo);
}

#[tokio::test]
async fn other_organisations_and_customers_accounts_are_not_found() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let contoso = cash_account_of(&app, "Contoso Solutions");
    let acme = app.id_of(
        "SELECT a.id AS n FROM ledger_accounts a JOIN customers c ON c.id = a.owner_customer_id \
         WHERE c.company = 'Acme Corp' AND a.kind = 'customer_balance'",
    );
    let external = app.id_of("SELECT id AS n FROM ledger_accounts WHERE kind = 'external'");
    for id in [contoso, acme, external, 987_654_321] {
        for path in [
            format!("/partner/account/{id}"),
            format!("/partner/account/{id}/export"),
        ] {
            let res = admin.get(&path).await;
            assert_eq!(res.status, 404, "{path}");
            assert!(!res.contains("50,000.00"));
        }
    }
    assert_eq!(admin.get("/partner/account/not-a-number").await.status, 404);
}

#[tokio::test]
async fn only_admins_open_the_account_pages() {
    let app = spawn_app().await;
    let cash = cash_account_of(&app, "Northwind Distribution");
    for email in ["lead@northwind.test", "mgr1@northwind.test"] {
        let c = app.signed_in(email).await;
        for path in [
            "/partner/account".to_string(),
            format!("/partner/account/{cash}"),
            format!("/partner/account/{cash}/export"),
        ] {
            assert_eq!(c.get(&path).await.status, 403, "{email} {path}");
        }
        assert!(
            !c.get("/partner")
                .await
                .contains("href=\"/partner/account\""),
            "no menu link"
        );
    }
    let customer = app.signed_in("it@acme.test").await;
    assert_eq!(customer.get("/partner/account").await.status, 403);
    assert_eq!(app.client().get("/partner/account").await.status, 303);
}
