//! `/ops/ledger`: accounts with owners and balances, filters and keyset pages, an account's
//! entries and CSV export, and "Verify now".

use diesel::prelude::*;

use crate::ledger::helpers::{csv_rows, funded_pair, header, move_money};
use crate::support::{TestApp, spawn_app};

pub fn cash_account_of(app: &TestApp, org: &str) -> i64 {
    app.id_of(&format!(
        "SELECT a.id AS n FROM ledger_accounts a JOIN organizations o ON o.id = a.owner_org_id \
         WHERE o.name = '{org}' AND a.kind = 'partner_cash'"
    ))
}

/// An organisation's cash as pages show it: the demo's opening amount less what later demo
/// movements took (Northwind's pending withdrawal holds part of its 100,000.00).
pub fn cash_text(app: &TestApp, org: &str) -> String {
    let cents = app.count(&format!(
        "SELECT (balance * 100)::bigint AS n FROM ledger_accounts WHERE id = {}",
        cash_account_of(app, org)
    ));
    partner_center::domain::money::format_amount(rust_decimal::Decimal::new(cents, 2))
}

#[tokio::test]
async fn operators_see_every_account_with_owner_and_balance_filtered_and_paged() {
    let app = spawn_app().await;
    let ops = app.signed_in("ops@demo.test").await;
    let page = ops.get("/ops/ledger").await;
    assert_eq!(page.status, 200);
    assert!(
        page.contains("Northwind Distribution")
            && page.contains(&cash_text(&app, "Northwind Distribution"))
    );
    assert!(page.contains("Contoso Solutions") && page.contains("50,000.00"));

    let page = ops.get("/ops/ledger?q=northwind").await;
    assert!(page.contains("Northwind Distribution") && !page.contains("Contoso Solutions"));
    let page = ops.get("/ops/ledger?q=Acme&kind=customer_balance").await;
    assert!(page.contains("Acme Corp") && !page.contains("Northwind Distribution"));
    let page = ops.get("/ops/ledger?q=%25").await;
    assert!(
        !page.contains("Acme Corp"),
        "a typed % is a literal character, not a wildcard"
    );
    let page = ops.get("/ops/ledger?kind=no-such-kind&after=zzz").await;
    assert_eq!(page.status, 200, "unknown filters fall back to everything");

    // The demo customers alone open far more than one page of accounts.
    let total =
        app.count("SELECT count(*) AS n FROM ledger_accounts WHERE kind = 'customer_balance'");
    assert!(total > 50);
    let first = ops.get("/ops/ledger?q=&kind=customer_balance").await;
    let next = first
        .body
        .split("href=\"")
        .find(|s| s.contains("after="))
        .map(|s| {
            s[..s.find('"').unwrap()]
                .replace("&amp;", "&")
                .replace("&#38;", "&")
        })
        .expect("a next link");
    assert!(
        next.contains("kind=customer_balance") && next.contains("q="),
        "{next}"
    );
    let second = ops.get(&next).await;
    assert_eq!(second.status, 200);
    // 20 a page by default, 50 or 100 when asked (SPEC §6 "List queries").
    let nth = |n: i64| {
        app.id_of(&format!(
            "SELECT id AS n FROM ledger_accounts WHERE kind = 'customer_balance' ORDER BY id LIMIT 1 OFFSET {n}"
        ))
    };
    let (last_on_first, first_on_second) = (nth(19), nth(20));
    let link = |id: i64| format!("href=\"/ops/ledger/accounts/{id}\"");
    assert!(first.contains(&link(last_on_first)) && !first.contains(&link(first_on_second)));
    assert!(second.contains(&link(first_on_second)) && !second.contains(&link(last_on_first)));
    let fifty = ops
        .get("/ops/ledger?q=&kind=customer_balance&size=50")
        .await;
    assert!(fifty.contains(&link(nth(49))) && !fifty.contains(&link(nth(50))));
}

#[tokio::test]
async fn an_accounts_entries_are_newest_first_in_keyset_pages_and_export_as_csv() {
    let app = spawn_app().await;
    let ops = app.signed_in("ops@demo.test").await;
    let (a, b) = {
        let mut conn = app.conn();
        let (a, b) = funded_pair(&mut conn, "2000.00");
        for i in 1..=60 {
            move_money(&mut conn, a, b, &format!("{i}.00"), &format!("page-{i}")).unwrap();
        }
        (a, b)
    };
    let page = ops.get(&format!("/ops/ledger/accounts/{a}")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.contains("-60.00") && !page.contains("-10.00"),
        "newest first, 50 a page"
    );
    assert!(
        page.contains(&format!("/ops/ledger/accounts/{b}")),
        "links the other account"
    );
    let next = format!("/ops/ledger/accounts/{a}?after=");
    assert!(page.contains(&next));
    let cursor = app.id_of(&format!(
        "SELECT id AS n FROM ledger_entries WHERE account_id = {a} ORDER BY id DESC LIMIT 1 OFFSET 49"
    ));
    let older = ops.get(&format!("{next}{cursor}")).await;
    assert!(older.contains("-10.00") && older.contains("+2,000.00") && !older.contains("-11.00"));

    let csv = ops.get(&format!("/ops/ledger/accounts/{a}/export")).await;
    assert_eq!(csv.status, 200);
    let kind = header(&csv, "content-type");
    assert!(kind.starts_with("text/csv"), "{kind}");
    assert!(header(&csv, "content-disposition").contains("attachment"));
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), 61);
    assert_eq!(&rows[0][4], "-60.00");
    assert_eq!(&rows[60][4], "2000.00");

    assert_eq!(ops.get("/ops/ledger/accounts/987654321").await.status, 404);
    assert_eq!(
        ops.get("/ops/ledger/accounts/987654321/export")
            .await
            .status,
        404
    );
    assert_eq!(ops.get("/ops/ledger/accounts/abc").await.status, 404);
}

#[tokio::test]
async fn exported_remarks_cannot_run_as_spreadsheet_formulas() {
    let app = spawn_app().await;
    let ops = app.signed_in("ops@demo.test").await;
    let (a, b) = {
        let mut conn = app.conn();
        let (a, b) = funded_pair(&mut conn, "5.00");
        let req = partner_center::ledger::TransferRequest {
            from: a,
            to: b,
            amount: partner_center::domain::Money::parse_positive("1").unwrap(),
            kind: "test",
            idempotency_key: "formula",
            memo: "=HYPERLINK(\"http://evil\")",
            reverses: None,
        };
        partner_center::ledger::transfer(&mut conn, &req, &crate::ledger::helpers::actor())
            .unwrap();
        (a, b)
    };
    let csv = ops.get(&format!("/ops/ledger/accounts/{b}/export")).await;
    assert!(csv.contains("'=HYPERLINK"), "{}", csv.body);
    let page = ops.get(&format!("/ops/ledger/accounts/{a}")).await;
    assert!(
        page.contains("=HYPERLINK(&quot;http://evil&quot;)") || page.contains("=HYPERLINK(&#34;")
    );
}

#[tokio::test]
async fn verify_now_runs_the_check_records_it_and_shows_the_result() {
    let app = spawn_app().await;
    let ops = app.signed_in("ops@demo.test").await;
    let res = ops.submit("/ops/ledger", "/ops/ledger/verify", &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(res.location.as_deref(), Some("/ops/ledger"));
    let page = ops.get("/ops/ledger").await;
    assert!(page.contains("flash-success"), "{}", page.body);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM ledger_verifications WHERE ok"),
        1
    );
    assert_eq!(app.count("SELECT count(*) AS n FROM audit_log WHERE action = 'ledger.verify' AND actor_email = 'ops@demo.test'"), 1);

    let tampered = cash_account_of(&app, "Contoso Solutions");
    diesel::sql_query(format!(
        "UPDATE ledger_accounts SET balance = balance + 1 WHERE id = {tampered}"
    ))
    .execute(&mut app.conn())
    .unwrap();
    ops.submit("/ops/ledger", "/ops/ledger/verify", &[]).await;
    let page = ops.get("/ops/ledger").await;
    assert!(page.contains("flash-error"));
    assert!(page.contains(&format!(
        "account {tampered}: balance 50001.00 but entries sum to 50000.00"
    )));
    let home = ops.get("/ops").await;
    assert!(
        home.contains("class=\"bad\""),
        "the console home shows the failed check"
    );
}

#[tokio::test]
async fn only_operators_open_the_ledger_console() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let id = cash_account_of(&app, "Northwind Distribution");
    for path in [
        "/ops/ledger".to_string(),
        format!("/ops/ledger/accounts/{id}"),
        format!("/ops/ledger/accounts/{id}/export"),
    ] {
        assert_eq!(admin.get(&path).await.status, 403, "{path}");
        let anon = app.client().get(&path).await;
        assert_eq!(anon.status, 303, "{path}");
    }
    let token = admin.get("/partner").await.csrf();
    let res = admin
        .post_raw("/ops/ledger/verify", &[("csrf_token", &token)])
        .await;
    assert_eq!(res.status, 403);
    let ops = app.signed_in("ops@demo.test").await;
    assert_eq!(
        ops.post_raw("/ops/ledger/verify", &[]).await.status,
        403,
        "no CSRF token"
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM ledger_verifications"),
        0
    );
}
