//! Performance per partner, manager and month (rules C5, P2) follows payments and refunds as
//! they happen: an order paid on behalf counts for the paying partner and the manager who held
//! the customer, and its refund lowers the month it was paid in.

use partner_center::services::payments::{self, Choice};

use super::fixtures::*;

fn totals(l: &LedgerDb, partner: i64, manager: i64) -> (i64, i64, i64) {
    let q = |col: &str| {
        l.count(&format!(
            "SELECT COALESCE(sum({col}), 0)::bigint AS n FROM order_month_totals \
             WHERE partner_id = {partner} AND manager_id = {manager} \
             AND period = date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date"
        ))
    };
    (q("orders"), q("amount * 100"), q("on_behalf * 100"))
}

#[tokio::test]
async fn paid_orders_count_for_the_partner_and_manager_of_the_moment_and_refunds_lower_them() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let acme = customer(&mut conn, "it@acme.test");
    let cid = customer_id(&acme);
    let admin = member(&mut conn, "admin@northwind.test");
    let nw = admin.org_id().unwrap().get();
    let mgr1 = l.id_of("SELECT id AS n FROM users WHERE email = 'mgr1@northwind.test'");
    let before = totals(&l, nw, mgr1);
    let p = product(&mut conn, "ecs-perf", "100.00");

    let behalf = order(&mut conn, cid, p, "100.00", "100.00");
    set_order(&mut conn, behalf, "pay_request = 'requested'");
    payments::pay_on_behalf(&mut conn, &admin, behalf, "perf-key-1").unwrap();
    set_balance(&mut conn, cid, "50.00");
    let own = order(&mut conn, cid, p, "20.50", "20.50");
    payments::pay_self(&mut conn, &acme, own, &Choice::default(), "perf-key-2").unwrap();

    let paid = totals(&l, nw, mgr1);
    assert_eq!(paid.0 - before.0, 2);
    assert_eq!(paid.1 - before.1, 12050);
    assert_eq!(paid.2 - before.2, 10000, "the 代付 part");

    set_order(
        &mut conn,
        behalf,
        "state = 'completed', term_start = current_date - 9, term_end = current_date + 20",
    );
    let r = payments::refund(&mut conn, &acme, behalf).unwrap();
    let refunded = totals(&l, nw, mgr1);
    let cents = i64::try_from(r.amount * rust_decimal::Decimal::from(100)).unwrap();
    assert!(cents > 0);
    assert_eq!(refunded.0, paid.0, "still two orders");
    assert_eq!(refunded.1, paid.1 - cents);
    assert_eq!(refunded.2, paid.2 - cents);
}
