//! rule P4 under concurrency (SPEC §5 "Concurrency tests"): 1,000 withdrawal requests race over
//! a pool of 10 connections; together they ask for more than the withdrawable amount, and the
//! accepted ones never exceed it.

use partner_center::domain::{Money, OrgKind};
use partner_center::services::credit::{CreditRefusal, line::today, withdrawable, withdrawals};
use partner_center::services::{Refusal, ServiceError};
use rust_decimal::Decimal;

use crate::credit::*;
use crate::ledger::helpers::ledger_db;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_requests_never_exceed_the_withdrawable_amount() {
    let app = ledger_db().await;
    let nw = northwind(&app);
    let admin = admin_caller(&app, nw, "admin@northwind.test", OrgKind::Distributor);
    let start = withdrawable::of_partner(&mut app.conn(), nw, today()).unwrap();
    let (cash0, held0) = (start.cash, start.held);
    let amount = dec("150.00");
    assert!(
        amount * Decimal::from(1000) > start.amount(),
        "they ask for more than there is"
    );

    let mut tasks = Vec::new();
    for i in 0..1000u32 {
        let (pool, admin) = (app.pool.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            tokio::task::spawn_blocking(move || {
                use diesel::Connection;
                let mut conn = pool.get().expect("connection");
                let key = format!("race-{i:04}-withdrawal");
                conn.transaction(|conn| {
                    withdrawals::request(conn, &admin, Money::from_decimal(amount).unwrap(), &key)
                })
            })
            .await
            .expect("task")
        }));
    }
    let (mut accepted, mut refused) = (0i64, 0i64);
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => accepted += 1,
            Err(ServiceError::Refused(Refusal::Credit(CreditRefusal::BeyondWithdrawable))) => {
                refused += 1
            }
            Err(other) => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!(accepted + refused, 1000);
    let taken = amount * Decimal::from(accepted);
    assert!(taken <= start.amount(), "{taken} > {}", start.amount());
    // Each refusal came when less than one request was left: all that fit were taken.
    assert!(start.amount() - taken < amount);
    let end = withdrawable::of_partner(&mut app.conn(), nw, today()).unwrap();
    assert_eq!(end.cash, cash0 - taken);
    assert_eq!(end.held, held0 + taken);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM withdrawals WHERE partner_id = {nw} AND request_key LIKE 'withdraw:{nw}:race-%'"
        )),
        accepted
    );
    ledger_ok(&app);
}
