//! SPEC §6 "Roles for money pages": every `/partner/resellers*` page is for a distributor's
//! admins; supervisors, managers, solution providers and resellers get 403, and another
//! distributor's reseller is not found.

use super::{bluebird, other_distributor};
use crate::support::spawn_app;

fn pages(reseller: i64) -> Vec<String> {
    vec![
        "/partner/resellers".into(),
        format!("/partner/resellers/{reseller}"),
        format!("/partner/resellers/{reseller}/allocate"),
        format!("/partner/resellers/{reseller}/reclaim"),
    ]
}

#[tokio::test]
async fn only_a_distributors_admins_open_the_resellers_pages() {
    let app = spawn_app().await;
    let bb = bluebird(&app);
    let admin = app.signed_in("admin@northwind.test").await;
    for page in pages(bb) {
        assert_eq!(admin.get(&page).await.status, 200, "{page}");
    }
    assert!(
        admin
            .get("/partner")
            .await
            .contains("href=\"/partner/resellers\"")
    );
    for who in [
        "lead@northwind.test",
        "mgr1@northwind.test",
        "admin@bluebird.test",
        "admin@contoso.test",
    ] {
        let c = app.signed_in(who).await;
        for page in pages(bb) {
            assert_eq!(c.get(&page).await.status, 403, "{who} {page}");
        }
        // The link is not offered where the page would refuse.
        assert!(
            !c.get("/partner")
                .await
                .contains("href=\"/partner/resellers\""),
            "{who}"
        );
        let res = c
            .submit(
                "/partner",
                &format!("/partner/resellers/{bb}/allocate"),
                &[
                    ("amount", "1.00"),
                    ("remark", ""),
                    ("key", "forged-key-123"),
                ],
            )
            .await;
        assert_eq!(res.status, 403, "{who}");
        // A malformed amount does not get past the role check either.
        let res = c
            .submit(
                "/partner",
                &format!("/partner/resellers/{bb}/reclaim"),
                &[("amount", "abc"), ("remark", ""), ("key", "forged-key-123")],
            )
            .await;
        assert_eq!(res.status, 403, "{who}");
        let res = c
            .submit(
                "/partner",
                &format!("/partner/resellers/{bb}/reveal"),
                &[("field", "email")],
            )
            .await;
        assert_eq!(res.status, 403, "{who}");
    }
    assert_eq!(
        app.count("SELECT count(*) AS n FROM ledger_transfers WHERE kind IN ('allocation', 'reclaim') AND idempotency_key LIKE '%forged%'"),
        0
    );
}

#[tokio::test]
async fn another_distributors_reseller_and_non_resellers_are_not_found() {
    let app = spawn_app().await;
    let (_, theirs) = other_distributor(&app);
    let contoso = app.id_of("SELECT id AS n FROM organizations WHERE name = 'Contoso Solutions'");
    let northwind = super::northwind(&app);
    let admin = app.signed_in("admin@northwind.test").await;
    for id in [theirs, contoso, northwind, 999_999] {
        for page in pages(id).into_iter().skip(1) {
            assert_eq!(admin.get(&page).await.status, 404, "{page}");
        }
        let res = admin
            .submit(
                "/partner/resellers",
                &format!("/partner/resellers/{id}/allocate"),
                &[("amount", "1.00"), ("remark", ""), ("key", "a-key-for-404")],
            )
            .await;
        assert_eq!(res.status, 404, "{id}");
        let res = admin
            .submit(
                "/partner/resellers",
                &format!("/partner/resellers/{id}/allocate"),
                &[("amount", "abc"), ("remark", ""), ("key", "a-key-for-404")],
            )
            .await;
        assert_eq!(res.status, 404, "{id} with a malformed amount");
    }
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM ledger_transfers WHERE idempotency_key LIKE '%a-key-for-404'"
        ),
        0
    );
    // The list shows only our own resellers.
    let list = admin.get("/partner/resellers").await;
    assert!(list.contains("Bluebird Cloud"));
    assert!(!list.contains("Fabrikam Reseller"));
}
