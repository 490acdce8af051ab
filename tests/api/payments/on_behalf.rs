//! Payment on behalf (代付, rule P2): an admin of the customer's partner pays a requested
//! order from the partner's cash, never the customer's coupons; racing payments pay once;
//! another partner cannot reach the order; the paying manager is remembered (C5).

use partner_center::domain::PaymentSource;
use partner_center::ledger::AccountKind;
use partner_center::services::payments::{self, PaymentRefusal};
use partner_center::services::{Refusal, ServiceError};

use super::fixtures::*;

fn requested_order(l: &LedgerDb, price: &str) -> (i64, i64) {
    let mut conn = l.conn();
    let acme = customer(&mut conn, "it@acme.test");
    let cid = customer_id(&acme);
    let p = product(
        &mut conn,
        &format!("ecs-{}", uuid::Uuid::new_v4().simple()),
        price,
    );
    let o = order(&mut conn, cid, p, price, price);
    set_order(
        &mut conn,
        o,
        "pay_request = 'requested', pay_requested_at = now()",
    );
    (o, cid)
}

fn org_of(l: &LedgerDb, email: &str) -> i64 {
    l.id_of(&format!(
        "SELECT org_id AS n FROM users WHERE email = '{email}'"
    ))
}

#[tokio::test]
async fn concurrent_payments_on_behalf_pay_once_from_the_partners_cash() {
    let l = ledger_db().await;
    let (o, cid) = requested_order(&l, "1234.56");
    let nw = org_of(&l, "admin@northwind.test");
    let cash_before = partner_cash(&mut l.conn(), nw);
    let customer_balance = account_balance(&mut l.conn(), cid, AccountKind::CustomerBalance);
    let admin = member(&mut l.conn(), "admin@northwind.test");

    // SPEC §5 "Concurrency tests": 1,000 tasks over a pool of 10, each its own form key.
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            let pool = l.pool.clone();
            let admin = admin.clone();
            tokio::task::spawn_blocking(move || {
                let mut conn = pool.get().expect("connection");
                payments::pay_on_behalf(&mut conn, &admin, o, &format!("race-key-{i:04}"))
            })
        })
        .collect();
    let mut fresh = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(paid) if paid.fresh => fresh += 1,
            Ok(_) => panic!("no two tasks share a key"),
            Err(ServiceError::Refused(Refusal::Order(_))) => {}
            Err(e) => panic!("unexpected: {e:?}"),
        }
    }

    assert_eq!(fresh, 1, "paid exactly once");
    let mut conn = l.conn();
    assert_eq!(partner_cash(&mut conn, nw), cash_before - dec("1234.56"));
    assert_eq!(
        account_balance(&mut conn, cid, AccountKind::CustomerBalance),
        customer_balance,
        "the customer's money is not touched"
    );
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM order_payments WHERE order_id = {o} AND source = 'partner_cash'"
        )),
        1
    );
    // C5: the manager who held the customer when it was paid.
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM orders o JOIN customers c ON c.id = o.customer_id \
             WHERE o.id = {o} AND o.manager_id = c.manager_id AND o.partner_id = {nw} \
             AND o.payer = 'partner' AND o.pay_request = 'paid' AND o.state = 'processing'"
        )),
        1
    );
    assert_ledger_verifies(&mut conn);
}

#[tokio::test]
async fn another_partner_cannot_pay_and_only_admins_pay() {
    let l = ledger_db().await;
    let (o, _) = requested_order(&l, "10.00");
    let mut conn = l.conn();
    let contoso = member(&mut conn, "admin@contoso.test");
    let e = payments::pay_on_behalf(&mut conn, &contoso, o, "other-partner-1").unwrap_err();
    assert!(matches!(e, ServiceError::NotFound), "{e:?}");
    let e =
        payments::pay_on_behalf(&mut conn, &contoso, 987_654_321, "other-partner-2").unwrap_err();
    assert!(matches!(e, ServiceError::NotFound), "{e:?}");
    // Acme is mgr1's customer: mgr1 sees it but may not pay; mgr2 does not see it.
    let mgr1 = member(&mut conn, "mgr1@northwind.test");
    let e = payments::pay_on_behalf(&mut conn, &mgr1, o, "manager-pays-1").unwrap_err();
    assert!(matches!(e, ServiceError::Forbidden), "{e:?}");
    let mgr2 = member(&mut conn, "mgr2@northwind.test");
    let e = payments::pay_on_behalf(&mut conn, &mgr2, o, "manager-pays-2").unwrap_err();
    assert!(matches!(e, ServiceError::NotFound), "{e:?}");
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM order_payments WHERE order_id = {o}"
        )),
        0
    );
}

#[tokio::test]
async fn only_a_requested_order_is_paid_on_behalf_and_short_cash_is_refused() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let admin = member(&mut conn, "admin@northwind.test");
    let acme = customer(&mut conn, "it@acme.test");
    let cid = customer_id(&acme);
    let p = product(&mut conn, "ecs-unasked", "5.00");
    let unasked = order(&mut conn, cid, p, "5.00", "5.00");
    let e = payments::pay_on_behalf(&mut conn, &admin, unasked, "unasked-key-1").unwrap_err();
    assert!(
        matches!(e, ServiceError::Refused(Refusal::Order(_))),
        "{e:?}"
    );
    set_order(&mut conn, unasked, "pay_request = 'rejected'");
    let e = payments::pay_on_behalf(&mut conn, &admin, unasked, "unasked-key-2").unwrap_err();
    assert!(
        matches!(e, ServiceError::Refused(Refusal::Order(_))),
        "{e:?}"
    );

    let (big, _) = requested_order(&l, "99999999.00");
    let e = payments::pay_on_behalf(&mut conn, &admin, big, "too-big-key-1").unwrap_err();
    assert!(
        matches!(
            e,
            ServiceError::Refused(Refusal::Payment(PaymentRefusal::PartnerCashShort))
        ),
        "{e:?}"
    );
    let paid = payments::pay_on_behalf(
        &mut conn,
        &admin,
        requested_order(&l, "3.00").0,
        "fits-key-1",
    )
    .unwrap();
    assert_eq!(paid.parts.len(), 1);
    assert_eq!(paid.parts[0].source, PaymentSource::PartnerCash);
}
