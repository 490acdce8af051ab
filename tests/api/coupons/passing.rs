//! Quota passing (rules K1, K3, R3): a distributor's admin passes part of a grant to up to 100
//! resellers in one action, one refusal does not stop the others, a double submit passes once,
//! and reclaimed quota comes back to its parent to the cent.

mod refusals;

use super::{assert_ledger_verifies, grant_cents, org_id, platform_cents, voucher_grant};
use crate::support::http::form_key;
use crate::support::{Client, TestApp, spawn_app};

fn pass_path(grant: i64) -> String {
    format!("/partner/coupons/quotas/{grant}/pass")
}

/// Submits the pass form of `grant` with these resellers and amount under the form's key.
async fn pass(c: &Client, grant: i64, resellers: &[i64], amount: &str, key: &str) -> String {
    let page = c.get(&pass_path(grant)).await;
    let token = page.csrf();
    let ids: Vec<String> = resellers.iter().map(i64::to_string).collect();
    let mut fields = vec![
        ("csrf_token", token.as_str()),
        ("amount", amount),
        ("key", key),
    ];
    fields.extend(ids.iter().map(|id| ("reseller_id", id.as_str())));
    let res = c.post_raw(&pass_path(grant), &fields).await;
    assert_eq!(res.status, 200, "{}", res.body);
    res.body
}

fn child_of(app: &TestApp, parent: i64, reseller: i64) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM quota_grants WHERE parent_id = {parent} AND partner_id = {reseller}"
    ))
}

#[tokio::test]
async fn quota_passed_to_100_resellers_at_once_and_reclaimed_comes_back_to_its_parent() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    app.count(&format!(
        "WITH made AS (INSERT INTO organizations (name, kind, parent_id, signing_entity) \
         SELECT 'Mass Reseller ' || lpad(i::text, 3, '0'), 'reseller', {nw}, 'Mass Co' \
         FROM generate_series(1, 100) i RETURNING id) SELECT count(*) AS n FROM made"
    ));
    let resellers: Vec<i64> = (1..=100)
        .map(|i| {
            app.id_of(&format!(
                "SELECT id AS n FROM organizations WHERE name = 'Mass Reseller {i:03}'"
            ))
        })
        .collect();
    let grant = voucher_grant(&app, nw, "10000");
    let admin = app.signed_in("admin@northwind.test").await;
    let form = admin.get(&format!("{}?q=Mass", pass_path(grant))).await;
    assert_eq!(form.body.matches("name=\"reseller_id\"").count(), 100);
    let key = form_key(&form.body);
    let result = pass(&admin, grant, &resellers, "12.34", &key).await;
    assert_eq!(result.matches("class=\"passed\"").count(), 100, "{result}");
    assert_eq!(grant_cents(&app, grant), 1_000_000 - 123_400);
    // 101 resellers in one action are refused beside the field.
    let bb = org_id(&app, "Bluebird Cloud");
    let mut too_many = resellers.clone();
    too_many.push(bb);
    let page = admin.get(&pass_path(grant)).await;
    let token = page.csrf();
    let ids: Vec<String> = too_many.iter().map(i64::to_string).collect();
    let mut fields = vec![
        ("csrf_token", token.as_str()),
        ("amount", "1"),
        ("key", "other-key-123"),
    ];
    fields.extend(ids.iter().map(|id| ("reseller_id", id.as_str())));
    let refused = admin.post_raw(&pass_path(grant), &fields).await;
    assert_eq!(refused.status, 422);
    assert!(refused.contains("id=\"e-reseller_id\""));

    let detail = admin.get(&format!("/partner/coupons/quotas/{grant}")).await;
    assert_eq!(detail.body.matches("/reclaim\"").count(), 100);
    let reseller = resellers[0];
    let child = child_of(&app, grant, reseller);
    assert_eq!(grant_cents(&app, child), 1234);
    // Each reseller sees its passed grant and where it came from.
    let token = detail.csrf();
    for r in &resellers {
        let child = child_of(&app, grant, *r);
        let res = admin
            .post_raw(
                &format!("/partner/coupons/quotas/{child}/reclaim"),
                &[("csrf_token", token.as_str()), ("remark", "year end")],
            )
            .await;
        assert_eq!(res.status, 303);
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/partner/coupons/quotas/{grant}").as_str())
        );
    }
    assert_eq!(grant_cents(&app, grant), 1_000_000, "back to the cent");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM quota_grants g JOIN ledger_accounts a ON a.id = g.account_id \
             WHERE g.parent_id = {grant} AND (a.balance <> 0 OR g.amount <> 0)"
        )),
        0
    );
    // A second reclaim finds nothing left and changes nothing.
    let again = admin
        .post_raw(
            &format!("/partner/coupons/quotas/{child}/reclaim"),
            &[("csrf_token", token.as_str())],
        )
        .await;
    assert_eq!(again.status, 303);
    let shown = admin.get(&format!("/partner/coupons/quotas/{grant}")).await;
    assert!(shown.contains("没有可回收") || shown.contains("Nothing is left"));
    assert_eq!(grant_cents(&app, grant), 1_000_000);
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn one_refused_reseller_does_not_stop_the_others() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let bb = org_id(&app, "Bluebird Cloud");
    let other = app.id_of(
        "INSERT INTO organizations (name, kind, signing_entity) \
         VALUES ('Other Distribution', 'distributor', 'Other Co') RETURNING id AS n",
    );
    let foreign = app.id_of(&format!(
        "INSERT INTO organizations (name, kind, parent_id, signing_entity) \
         VALUES ('Foreign Reseller', 'reseller', {other}, 'Other Co') RETURNING id AS n"
    ));
    let grant = voucher_grant(&app, nw, "100");
    let admin = app.signed_in("admin@northwind.test").await;
    let key = form_key(&admin.get(&pass_path(grant)).await.body);
    let result = pass(&admin, grant, &[foreign, bb], "60", &key).await;
    assert!(result.contains(&format!("id=\"pass-{bb}\" class=\"passed\"")));
    assert!(result.contains(&format!("id=\"pass-{foreign}\" class=\"refused\"")));
    assert!(
        !result.contains("Foreign Reseller"),
        "another's reseller stays unnamed"
    );
    assert_eq!(grant_cents(&app, grant), 4_000);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM quota_grants WHERE partner_id = {foreign}"
        )),
        0
    );
    // Not enough left for a second 60: refused for that reseller, nothing moved.
    let key = form_key(&admin.get(&pass_path(grant)).await.body);
    let result = pass(&admin, grant, &[bb], "60", &key).await;
    assert!(result.contains("class=\"refused\""));
    assert_eq!(grant_cents(&app, grant), 4_000);
    // Bluebird sees the passed grant and where it came from; it cannot pass it on.
    let child = child_of(&app, grant, bb);
    let bluebird = app.signed_in("admin@bluebird.test").await;
    let page = bluebird.get("/partner/coupons/quotas").await;
    assert!(page.contains(&format!("grant-{child}")) && page.contains("Northwind Distribution"));
    assert_eq!(bluebird.get(&pass_path(child)).await.status, 403);
    // Another distributor cannot reclaim it.
    let token = bluebird.get("/partner").await.csrf();
    let res = bluebird
        .post_raw(
            &format!("/partner/coupons/quotas/{child}/reclaim"),
            &[("csrf_token", token.as_str())],
        )
        .await;
    assert_eq!(res.status, 403, "a reseller reclaims nothing");
    assert_eq!(grant_cents(&app, child), 6_000);
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn a_double_submit_of_the_pass_form_passes_once() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let bb = org_id(&app, "Bluebird Cloud");
    let grant = voucher_grant(&app, nw, "1000");
    let admin = app.signed_in("admin@northwind.test").await;
    let key = form_key(&admin.get(&pass_path(grant)).await.body);
    let first = pass(&admin, grant, &[bb], "50", &key).await;
    let second = pass(&admin, grant, &[bb], "50", &key).await;
    assert!(first.contains("class=\"passed\"") && second.contains("class=\"passed\""));
    let child = child_of(&app, grant, bb);
    assert_eq!(grant_cents(&app, grant), 95_000);
    assert_eq!(grant_cents(&app, child), 5_000);
    assert_eq!(
        app.count(&format!(
            "SELECT (amount * 100)::bigint AS n FROM quota_grants WHERE id = {child}"
        )),
        5_000,
        "the passed amount counted once"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE action = 'quota.passed' AND subject_id = '{child}'"
        )),
        1
    );
    // A new form passes again, to the same passed grant.
    let key = form_key(&admin.get(&pass_path(grant)).await.body);
    pass(&admin, grant, &[bb], "25", &key).await;
    assert_eq!(grant_cents(&app, child), 7_500);
    assert_eq!(child_of(&app, grant, bb), child);
    assert_ledger_verifies(&app);
}
