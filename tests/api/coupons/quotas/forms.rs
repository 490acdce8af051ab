//! `/ops/quotas` forms (rules K1, K2a): malformed fields are refused beside the field with the
//! values kept; only operators open the pages and every POST needs the CSRF token.

use super::*;

#[tokio::test]
async fn malformed_grant_and_adjustment_fields_are_refused_beside_the_field_with_values_kept() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution").to_string();
    let ops = app.signed_in("ops@demo.test").await;
    let before = app.count("SELECT count(*) AS n FROM quota_grants");
    let key = form_key(&ops.get("/ops/quotas/new").await.body);
    let cases: [(&str, &str, &str, &str); 6] = [
        ("amount", "1.234", "2026-01-01", "2099-12-31"),
        ("amount", "abc", "2026-01-01", "2099-12-31"),
        ("amount", "0", "2026-01-01", "2099-12-31"),
        ("valid_until", "100", "2026-01-01", "2099-13-45"),
        ("valid_from", "100", "01/02/2026", "2099-12-31"),
        ("valid_until", "100", "2099-12-31", "2099-01-01"),
    ];
    for (field, amount, from, until) in cases {
        let res = ops
            .submit(
                "/ops/quotas/new",
                "/ops/quotas",
                &[
                    ("partner", nw.as_str()),
                    ("kind", "voucher"),
                    ("amount", amount),
                    ("valid_from", from),
                    ("valid_until", until),
                    ("remark", "kept remark"),
                    ("key", key.as_str()),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "{field} {amount} {from} {until}");
        assert!(
            res.contains(&format!("id=\"e-{field}\"")),
            "{field} error beside the field"
        );
        for v in [amount, from, until, "kept remark"] {
            assert!(res.contains(&format!("value=\"{v}\"")), "{v} kept");
        }
    }
    // A validity that ended, and more than ten services.
    let mut fields = vec![
        ("partner", nw.as_str()),
        ("kind", "voucher"),
        ("amount", "100"),
        ("valid_from", "2020-01-01"),
        ("valid_until", "2020-12-31"),
        ("key", key.as_str()),
    ];
    let ended = ops.submit("/ops/quotas/new", "/ops/quotas", &fields).await;
    assert_eq!(ended.status, 422);
    assert!(ended.contains("id=\"e-valid_until\""));
    fields[4] = ("valid_until", "2099-12-31");
    for code in [
        "ECS", "EVS", "OBS", "RDS", "DCS", "VPC", "EIP", "ELB", "CDN", "CCE", "WAF",
    ] {
        fields.push(("scope", code));
    }
    let wide = ops.submit("/ops/quotas/new", "/ops/quotas", &fields).await;
    assert_eq!(wide.status, 422);
    assert!(
        wide.contains("id=\"e-scope\"")
            && wide.contains("id=\"s-WAF\" name=\"scope\" value=\"WAF\" checked")
    );
    let unknown = ops
        .submit(
            "/ops/quotas/new",
            "/ops/quotas",
            &[&fields[..6], &[("scope", "NOPE")]].concat(),
        )
        .await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.contains("id=\"e-scope\""));
    assert_eq!(app.count("SELECT count(*) AS n FROM quota_grants"), before);

    let grant = voucher_grant(&app, nw.parse().unwrap(), "100");
    let page = format!("/ops/quotas/{grant}");
    for delta in ["0", "abc", "1.234", "-", ""] {
        let res = ops
            .submit(&page, &format!("{page}/adjust"), &[("delta", delta)])
            .await;
        assert_eq!(res.status, 422, "{delta}");
        assert!(res.contains("id=\"e-delta\"") && res.contains(&format!("value=\"{delta}\"")));
    }
    assert_eq!(state_of(&app, grant), "normal");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM quota_adjustments WHERE grant_id = {grant}"
        )),
        0
    );
    assert_eq!(ops.get("/ops/quotas/987654321").await.status, 404);
    assert_eq!(ops.get("/ops/quotas/abc").await.status, 404);
}

#[tokio::test]
async fn only_operators_open_ops_quotas_and_every_post_needs_the_csrf_token() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let grant = voucher_grant(&app, nw, "100");
    for email in ["admin@northwind.test", "it@acme.test"] {
        let c = app.signed_in(email).await;
        for path in [
            "/ops/quotas".to_string(),
            "/ops/quotas/new".into(),
            format!("/ops/quotas/{grant}"),
        ] {
            assert_eq!(c.get(&path).await.status, 403, "{email} {path}");
        }
        let token = c.get("/").await;
        let token = crate::support::http::csrf_in(&token.body).unwrap_or_default();
        let res = c
            .post_raw(
                &format!("/ops/quotas/{grant}/freeze"),
                &[("csrf_token", token.as_str())],
            )
            .await;
        assert_eq!(res.status, 403, "{email}");
    }
    assert_eq!(app.client().get("/ops/quotas").await.status, 303);
    let ops = app.signed_in("ops@demo.test").await;
    let res = ops
        .post_raw(&format!("/ops/quotas/{grant}/freeze"), &[("remark", "x")])
        .await;
    assert_eq!(res.status, 403, "no CSRF token");
    assert_eq!(state_of(&app, grant), "normal");
}
