//! Passing refused (rules K1, K3): malformed amounts beside the field with the choices kept;
//! a frozen grant passes nothing and withdrawing it takes back what it passed.

use super::*;

#[tokio::test]
async fn malformed_pass_amounts_are_refused_beside_the_field_with_choices_kept() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let bb = org_id(&app, "Bluebird Cloud").to_string();
    let grant = voucher_grant(&app, nw, "100");
    let admin = app.signed_in("admin@northwind.test").await;
    let path = pass_path(grant);
    let key = form_key(&admin.get(&path).await.body);
    for amount in ["0", "-1", "1.234", "abc", ""] {
        let res = admin
            .submit(
                &path,
                &path,
                &[
                    ("reseller_id", bb.as_str()),
                    ("amount", amount),
                    ("key", key.as_str()),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "{amount}");
        assert!(res.contains("id=\"e-amount\"") && res.contains(&format!("value=\"{amount}\"")));
        assert!(
            res.contains(&format!("value=\"{bb}\" checked")),
            "choice kept"
        );
    }
    let none = admin
        .submit(&path, &path, &[("amount", "10"), ("key", key.as_str())])
        .await;
    assert_eq!(none.status, 422);
    assert!(none.contains("id=\"e-reseller_id\""));
    assert_eq!(grant_cents(&app, grant), 10_000);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM quota_grants WHERE parent_id = {grant}"
        )),
        0
    );
}

#[tokio::test]
async fn a_frozen_grant_passes_nothing_and_withdrawing_it_takes_back_what_it_passed() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let bb = org_id(&app, "Bluebird Cloud");
    let grant = voucher_grant(&app, nw, "1000");
    let admin = app.signed_in("admin@northwind.test").await;
    let key = form_key(&admin.get(&pass_path(grant)).await.body);
    pass(&admin, grant, &[bb], "300", &key).await;
    let child = child_of(&app, grant, bb);
    let before = platform_cents(&app);
    let ops = app.signed_in("ops@demo.test").await;
    let page = format!("/ops/quotas/{grant}");
    ops.submit(&page, &format!("{page}/freeze"), &[]).await;
    let key = form_key(&admin.get(&pass_path(grant)).await.body);
    let result = pass(&admin, grant, &[bb], "1", &key).await;
    assert!(
        result.contains("class=\"refused\""),
        "frozen: nothing passes"
    );
    assert_eq!(grant_cents(&app, child), 30_000);
    assert_eq!(
        ops.submit(&page, &format!("{page}/withdraw"), &[("remark", "ended")])
            .await
            .status,
        303
    );
    assert_eq!(grant_cents(&app, grant), 0);
    assert_eq!(grant_cents(&app, child), 0);
    assert_eq!(platform_cents(&app), before + 100_000, "all of it back");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM quota_grants WHERE id IN ({grant}, {child}) AND state = 'invalid'"
        )),
        2
    );
    assert_ledger_verifies(&app);
}
