//! Every ledger page is valid HTML (SPEC §4 "Valid and accessible"), in both languages.

use partner_center::ledger;

use crate::ledger::helpers::{actor, move_money};
use crate::ledger::ops_pages::cash_account_of;
use crate::support::{html, spawn_app};

#[tokio::test]
async fn ledger_pages_are_valid_html() {
    let app = spawn_app().await;
    let cash = cash_account_of(&app, "Northwind Distribution");
    {
        // A reversal shows which transfer it corrects.
        let mut conn = app.conn();
        let bluebird = cash_account_of(&app, "Bluebird Cloud");
        let t = move_money(&mut conn, cash, bluebird, "12.34", "html-1").unwrap();
        ledger::reverse(&mut conn, t.id, "html-2", &actor()).unwrap();
    }
    let mut pages = Vec::new();
    let ops = app.signed_in("ops@demo.test").await;
    ops.submit("/ops/ledger", "/ops/ledger/verify", &[]).await;
    for path in [
        "/ops/ledger".to_string(),
        "/ops/ledger?q=zzz-nothing&kind=coupon".into(),
        "/ops/ledger?kind=customer_balance".into(),
        format!("/ops/ledger/accounts/{cash}"),
    ] {
        for lang in ["en", "zh-CN"] {
            let res = ops.get_with(&path, &[("accept-language", lang)]).await;
            assert_eq!(res.status, 200, "{path}");
            pages.push((format!("ops{path}-{lang}"), res.body));
        }
    }
    let admin = app.signed_in("admin@northwind.test").await;
    for path in [
        "/partner/account".to_string(),
        format!("/partner/account/{cash}"),
    ] {
        for lang in ["en", "zh-CN"] {
            let res = admin.get_with(&path, &[("accept-language", lang)]).await;
            assert_eq!(res.status, 200, "{path}");
            if path.ends_with(&cash.to_string()) {
                assert!(res.contains("reverses transfer") || res.contains("冲正转账"));
            }
            pages.push((format!("partner{path}-{lang}"), res.body));
        }
    }
    html::assert_valid(&pages);
}
