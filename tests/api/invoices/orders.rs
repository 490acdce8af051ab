//! Orders as invoiceable items (rules K7, B6): a paid order is invoiceable once paid, by its
//! product's tax rate, less what its voucher paid; an unsubscribed order's refund is a negative
//! item of what went back to non-voucher sources; the match takes it first.

use chrono::Duration;
use partner_center::services::payments::{self, Choice};

use crate::payments::fixtures::*;

#[tokio::test]
async fn a_paid_order_is_invoiced_without_its_voucher_part_and_its_refund_comes_back_negative() {
    let l = ledger_db().await;
    let mut conn = l.conn();
    let acme = customer(&mut conn, "it@acme.test");
    let cid = customer_id(&acme);
    let p = product(&mut conn, "inv-order", "100.00");
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!("UPDATE products SET tax_rate = 13 WHERE id = {p}")),
        &mut conn,
    )
    .unwrap();
    let o = order(&mut conn, cid, p, "100.00", "100.00");
    let voucher = coupon(
        &mut conn,
        cid,
        "voucher",
        "30.00",
        today() + Duration::days(60),
        &[],
    );
    set_balance(&mut conn, cid, "70.00");
    let choice = Choice {
        voucher_id: Some(voucher),
        cash_coupon_ids: vec![],
    };
    // Nothing to invoice until the order is paid.
    let items = |l: &LedgerDb, kind: &str| {
        l.count(&format!(
            "SELECT COALESCE(sum(amount * 100), 0)::bigint AS n FROM invoice_items
             WHERE order_id = {o} AND kind = '{kind}'"
        ))
    };
    assert_eq!(items(&l, "order"), 0);
    payments::pay_self(&mut conn, &acme, o, &choice, "invoice-order-key").expect("paid");
    // K7: 100.00 less the voucher's 30.00, at the product's 13%, invoiced by Northwind.
    assert_eq!(items(&l, "order"), 7000);
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM invoice_items WHERE order_id = {o} AND kind = 'order'
             AND tax_rate = 13 AND voucher_excluded = 30.00 AND issuer_org_id = (
                 SELECT partner_id FROM customers WHERE id = {cid})"
        )),
        1
    );
    // About 20 of 30 days unused: the balance's share comes back as a negative item; the
    // voucher's share goes back to the voucher and, never invoiced, is not in it.
    set_order(
        &mut conn,
        o,
        "state = 'completed', term_start = current_date - 9, term_end = current_date + 20",
    );
    payments::refund(&mut conn, &acme, o).expect("refunded");
    let back = |source: &str| {
        l.count(&format!(
            "SELECT COALESCE(sum(refunded * 100), 0)::bigint AS n FROM order_payments
             WHERE order_id = {o} AND source {source}"
        ))
    };
    assert!(back("= 'voucher'") > 0 && back("<> 'voucher'") > 0);
    assert_eq!(items(&l, "refund"), -back("<> 'voucher'"));
    assert_eq!(
        l.count(&format!(
            "SELECT rank::bigint AS n FROM invoice_items WHERE order_id = {o} AND kind = 'refund'"
        )),
        0,
        "refunds are matched first (B6)"
    );
    // Paying or refunding again adds nothing.
    payments::pay_self(&mut conn, &acme, o, &choice, "invoice-order-key").ok();
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM invoice_items WHERE order_id = {o}"
        )),
        2
    );
}
