//! rule R3: allocations and reclaims move money through the ledger, once per form, never more
//! than the paying side has, and both sides list them with who, when, amount and remark.

use super::{bluebird, cash_cents, northwind};
use crate::support::http::form_key;
use crate::support::spawn_app;

fn transfers(app: &crate::support::TestApp) -> i64 {
    app.count("SELECT count(*) AS n FROM ledger_transfers")
}

#[tokio::test]
async fn an_allocation_double_submit_moves_money_once_and_both_sides_list_it() {
    let app = spawn_app().await;
    let (nw, bb) = (northwind(&app), bluebird(&app));
    let (nw_before, bb_before) = (cash_cents(&app, nw), cash_cents(&app, bb));
    let admin = app.signed_in("admin@northwind.test").await;
    let form = format!("/partner/resellers/{bb}/allocate");
    let key = form_key(&admin.get(&form).await.body);
    let fields = [
        ("amount", "1,234.50"),
        ("remark", "Spring push"),
        ("key", key.as_str()),
    ];
    for _ in 0..2 {
        let res = admin.submit(&form, &form, &fields).await;
        assert_eq!(res.status, 303, "{}", res.body);
    }
    assert_eq!(cash_cents(&app, nw), nw_before - 123_450);
    assert_eq!(cash_cents(&app, bb), bb_before + 123_450);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM ledger_transfers WHERE kind = 'allocation' AND memo = 'Spring push'"),
        1
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM audit_log WHERE action = 'reseller.funds_allocated' AND request_id <> 'seed'"),
        1
    );
    let detail = admin.get(&format!("/partner/resellers/{bb}")).await;
    assert!(detail.contains("Spring push") && detail.contains("1,234.50"));
    assert!(detail.contains("Nora Admin"), "who moved it");
    // The reseller sees the same line, under its "reseller balance".
    let reseller = app.signed_in("admin@bluebird.test").await;
    let account = reseller.get("/partner/account").await;
    assert!(account.contains("Spring push") && account.contains("Northwind Distribution"));
    assert!(account.contains("Reseller balance") || account.contains("经销商余额"));
    // A new form has a new key: a second allocation is a second transfer.
    let key2 = form_key(&admin.get(&form).await.body);
    assert_ne!(key, key2);
    let res = admin
        .submit(
            &form,
            &form,
            &[("amount", "0.50"), ("remark", ""), ("key", &key2)],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(cash_cents(&app, bb), bb_before + 123_500);
}

#[tokio::test]
async fn a_reclaim_over_the_resellers_balance_is_refused_with_the_form_kept() {
    let app = spawn_app().await;
    let (nw, bb) = (northwind(&app), bluebird(&app));
    let (nw_before, bb_before) = (cash_cents(&app, nw), cash_cents(&app, bb));
    assert_eq!(bb_before, 2_000_000, "demo: Bluebird holds 20,000.00");
    let admin = app.signed_in("admin@northwind.test").await;
    let form = format!("/partner/resellers/{bb}/reclaim");
    let page = admin.get(&form).await;
    assert!(
        page.contains("20,000.00"),
        "the reseller's balance is shown"
    );
    let key = form_key(&page.body);
    let before = transfers(&app);
    let res = admin
        .submit(
            &form,
            &form,
            &[
                ("amount", "20000.01"),
                ("remark", "too much"),
                ("key", &key),
            ],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.contains("20000.01"), "the typed amount is kept");
    assert!(res.contains("too much"), "the remark is kept");
    assert!(res.contains("less than this amount") || res.contains("不足"));
    assert_eq!(
        (cash_cents(&app, nw), cash_cents(&app, bb)),
        (nw_before, bb_before)
    );
    assert_eq!(transfers(&app), before);
    // Malformed amounts and an oversized remark come back beside their field.
    for bad in [
        "",
        "abc",
        "-5",
        "0",
        "0.00",
        "1.234",
        "1e3",
        "1,23,4.00",
        "99999999999999999999",
    ] {
        let res = admin
            .submit(
                &form,
                &form,
                &[("amount", bad), ("remark", ""), ("key", &key)],
            )
            .await;
        assert_eq!(res.status, 422, "{bad}");
        assert!(
            res.contains("aria-invalid") || res.contains("field-error"),
            "{bad}"
        );
    }
    let long = "x".repeat(257);
    let res = admin
        .submit(
            &form,
            &form,
            &[("amount", "1.00"), ("remark", &long), ("key", &key)],
        )
        .await;
    assert_eq!(res.status, 422);
    // A broken key is no form of ours.
    let res = admin
        .submit(
            &form,
            &form,
            &[("amount", "1.00"), ("remark", ""), ("key", "x")],
        )
        .await;
    assert_eq!(res.status, 400);
    assert_eq!(transfers(&app), before);
    // The whole balance can be reclaimed.
    let res = admin
        .submit(
            &form,
            &form,
            &[
                ("amount", "20000.00"),
                ("remark", "all back"),
                ("key", &key),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert_eq!(cash_cents(&app, bb), 0);
    assert_eq!(cash_cents(&app, nw), nw_before + 2_000_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_reclaims_of_the_whole_balance_succeed_exactly_once() {
    let app = spawn_app().await;
    let (nw, bb) = (northwind(&app), bluebird(&app));
    let (nw_before, bb_before) = (cash_cents(&app, nw), cash_cents(&app, bb));
    let whole = format!("{}.{:02}", bb_before / 100, bb_before % 100);
    let admin = std::sync::Arc::new(app.signed_in("admin@northwind.test").await);
    let form = format!("/partner/resellers/{bb}/reclaim");
    let mut tasks = Vec::new();
    for i in 0..50 {
        let (admin, form, whole) = (admin.clone(), form.clone(), whole.clone());
        tasks.push(tokio::spawn(async move {
            // Fifty different forms: each its own key.
            let key = format!("race-{i:04}-reclaim");
            admin
                .submit(
                    &form,
                    &form,
                    &[("amount", &whole), ("remark", "race"), ("key", &key)],
                )
                .await
                .status
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        49,
        "{statuses:?}"
    );
    assert_eq!(cash_cents(&app, bb), 0);
    assert_eq!(cash_cents(&app, nw), nw_before + bb_before);
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM ledger_transfers WHERE kind = 'reclaim' AND memo = 'race'"
        ),
        1
    );
}

#[tokio::test]
async fn an_allocation_over_the_distributors_cash_is_refused() {
    let app = spawn_app().await;
    let (nw, bb) = (northwind(&app), bluebird(&app));
    let nw_before = cash_cents(&app, nw);
    let admin = app.signed_in("admin@northwind.test").await;
    let form = format!("/partner/resellers/{bb}/allocate");
    let key = form_key(&admin.get(&form).await.body);
    let over = format!("{}.01", nw_before / 100);
    let res = admin
        .submit(
            &form,
            &form,
            &[("amount", &over), ("remark", ""), ("key", &key)],
        )
        .await;
    assert_eq!(res.status, 422);
    assert!(res.contains(&over));
    assert_eq!(cash_cents(&app, nw), nw_before);
}
