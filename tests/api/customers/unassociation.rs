//! Unassociation (rules C6, C9): admin only, a confirmation page first, at most three in any
//! rolling three months, everything in one transaction.

use partner_center::domain::{
    Caller, CustomerId, MemberOf, OrgId, OrgKind, Party, RequestMeta, Role, UserId,
};
use partner_center::services::customers::unassociation::{Outcome, Recovery, unassociate_with};
use partner_center::services::{ServiceError, ServiceResult};

use crate::customers::common::{audit_count, customer_id, user_id};
use crate::support::spawn_app;

fn associated(app: &crate::support::TestApp, id: i64) -> i64 {
    app.count(&format!(
        "SELECT count(*) AS n FROM customers WHERE id = {id} AND partner_id IS NOT NULL"
    ))
}

#[tokio::test]
async fn the_fourth_unassociation_within_three_months_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let names = [
        "Beacon Health",
        "Cedar Logistics",
        "Delta Foods",
        "Evergreen Media",
    ];
    let ids: Vec<i64> = names.iter().map(|n| customer_id(&app, n)).collect();
    for (i, id) in ids.iter().take(3).enumerate() {
        let confirm = format!("/partner/customers/{id}/unassociate");
        let page = admin.get(&confirm).await;
        assert_eq!(page.status, 200);
        assert!(
            page.contains(&format!("{i} / 3")),
            "usage shown before confirming"
        );
        let res = admin.submit(&confirm, &confirm, &[]).await;
        assert_eq!(res.status, 303);
        assert_eq!(associated(&app, *id), 0);
    }
    let fourth = ids[3];
    let assignments_before =
        app.count("SELECT count(*) AS n FROM manager_assignments WHERE to_at IS NULL");
    let confirm = format!("/partner/customers/{fourth}/unassociate");
    let page = admin.get(&confirm).await;
    assert!(page.contains("3 / 3"));
    assert!(
        !page.contains("type=\"submit\" class=\"button danger\""),
        "no confirm button at the limit"
    );
    let token = page.csrf();
    let res = admin.post_raw(&confirm, &[("csrf_token", &token)]).await;
    assert_eq!(res.status, 409);
    assert!(res.contains("Refused: 3 of 3 unassociations") || res.contains("已拒绝"));
    assert_eq!(associated(&app, fourth), 1);
    assert_eq!(audit_count(&app, "customer.unassociated"), 3);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM manager_assignments WHERE to_at IS NULL"),
        assignments_before
    );
    // An unassociation more than three months old no longer counts.
    app.count(&format!(
        "WITH u AS (UPDATE associations SET ended_at = now() - interval '3 months 1 day' \
         WHERE customer_id = {} RETURNING 1) SELECT count(*) AS n FROM u",
        ids[0]
    ));
    let res = admin.submit(&confirm, &confirm, &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(associated(&app, fourth), 0);
}

#[tokio::test]
async fn unassociating_releases_the_manager_ends_the_association_and_hides_the_customer() {
    let app = spawn_app().await;
    let acme = customer_id(&app, "Acme Corp");
    let lead = app.signed_in("lead@northwind.test").await;
    let confirm = format!("/partner/customers/{acme}/unassociate");
    assert_eq!(lead.get(&confirm).await.status, 403, "admins only");
    assert_eq!(
        lead.submit("/partner/customers", &confirm, &[])
            .await
            .status,
        403
    );
    let admin = app.signed_in("admin@northwind.test").await;
    let page = admin.get(&confirm).await;
    assert!(
        page.contains("Mia Manager"),
        "the manager to be released is named"
    );
    let res = admin.submit(&confirm, &confirm, &[]).await;
    assert_eq!(res.status, 303);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM manager_assignments WHERE customer_id = {acme} AND to_at IS NULL"
        )),
        0
    );
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM associations WHERE customer_id = {acme} \
             AND ended_at IS NOT NULL AND end_reason = 'unassociated'"
        )),
        1
    );
    assert_eq!(
        admin
            .get(&format!("/partner/customers/{acme}"))
            .await
            .status,
        404
    );
    let mgr1 = app.signed_in("mgr1@northwind.test").await;
    assert!(!mgr1.get("/partner/customers").await.contains("Acme Corp"));
    // A second submit finds nothing to do.
    assert_eq!(
        admin
            .submit("/partner/customers", &confirm, &[])
            .await
            .status,
        404
    );
    assert_eq!(audit_count(&app, "customer.unassociated"), 1);
}

fn admin_member(app: &crate::support::TestApp) -> Caller {
    let user_id = user_id(app, "admin@northwind.test");
    let org_id =
        app.id_of("SELECT id AS n FROM organizations WHERE name = 'Northwind Distribution'");
    Caller {
        party: Party::Member(MemberOf {
            user_id: UserId(user_id),
            org_id: OrgId(org_id),
            org_kind: OrgKind::Distributor,
            role: Role::Admin,
        }),
        email: "admin@northwind.test".into(),
        name: "Nora Admin".into(),
        meta: RequestMeta::default(),
    }
}

fn recovers_two(
    conn: &mut diesel::PgConnection,
    actor: &Caller,
    org: OrgId,
    customer: CustomerId,
) -> ServiceResult<i64> {
    partner_center::audit::record(
        conn,
        actor,
        partner_center::audit::Entry::new("test.recovered", "customer", customer)
            .after(serde_json::json!({ "org": org })),
    )?;
    Ok(2)
}

fn fails(_: &mut diesel::PgConnection, _: &Caller, _: OrgId, _: CustomerId) -> ServiceResult<i64> {
    Err(ServiceError::internal("coupon locked"))
}

fn none_pending(_: &mut diesel::PgConnection, _: OrgId, _: CustomerId) -> diesel::QueryResult<i64> {
    Ok(0)
}

#[tokio::test]
async fn recovery_hooks_run_inside_the_unassociation_transaction() {
    let app = spawn_app().await;
    let member = admin_member(&app);
    let ok = Recovery {
        label_key: "unassociate.recovers.test",
        pending: none_pending,
        recover: recovers_two,
    };
    let bad = Recovery {
        label_key: "unassociate.recovers.bad",
        pending: none_pending,
        recover: fails,
    };
    let acme = customer_id(&app, "Acme Corp");
    // A failing hook undoes everything, including what an earlier hook did.
    let res = unassociate_with(&mut app.conn(), &member, acme, 3, &[ok, bad]);
    assert!(matches!(res, Err(ServiceError::Internal(_))));
    assert_eq!(associated(&app, acme), 1);
    assert_eq!(audit_count(&app, "test.recovered"), 0);
    let ok = Recovery {
        label_key: "unassociate.recovers.test",
        pending: none_pending,
        recover: recovers_two,
    };
    let res = unassociate_with(&mut app.conn(), &member, acme, 3, &[ok]).unwrap();
    assert!(matches!(res, Outcome::Done { .. }));
    assert_eq!(associated(&app, acme), 0);
    assert_eq!(audit_count(&app, "test.recovered"), 1);
    assert_eq!(
        app.count(
            "SELECT count(*) AS n FROM audit_log WHERE action = 'customer.unassociated' \
             AND (after->'recovered'->>'unassociate.recovers.test')::int = 2"
        ),
        1
    );
}
