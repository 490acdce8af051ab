//! Racing requests (SPEC §5 "Concurrency tests": 1,000 tasks over a pool of 10): paying one
//! approved request from every task pays it once, into the partner's cash, through one ledger
//! transfer; applying for one incentive from every task (each its own form key) makes one
//! payment request.

use partner_center::domain::incentives::IncentiveKind;
use partner_center::services::incentives::{IncentiveRefusal, apply, payouts};
use partner_center::services::{Refusal, ServiceError};

use super::*;
use crate::ledger::helpers::ledger_db;

#[tokio::test]
async fn a_thousand_concurrent_payments_of_one_request_pay_it_once() {
    let l = ledger_db().await;
    let nw = northwind(&l);
    let id = incentive(&l, nw, 14, IncentiveKind::Nre, "4321.09");
    let admin = member(&l, NW_ADMIN);
    let payout = apply::apply_one(&mut l.conn(), &admin, id, "race-apply-1")
        .unwrap()
        .id;
    let ops = operator(&l);
    payouts::approve(&mut l.conn(), &ops, payout, "http://t").unwrap();
    let before = cash(&l, nw);

    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let (pool, ops) = (l.pool.clone(), ops.clone());
            tokio::task::spawn_blocking(move || {
                let mut conn = pool.get().expect("connection");
                payouts::pay(&mut conn, &ops, payout, "http://t")
            })
        })
        .collect();
    let mut fresh = 0;
    for t in tasks {
        if t.await.unwrap().expect("pay or find it paid") {
            fresh += 1;
        }
    }
    assert_eq!(fresh, 1, "paid exactly once");
    assert_eq!(cash(&l, nw), before + dec("4321.09"));
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM ledger_transfers WHERE idempotency_key = 'incentive-payout:{payout}'"
        )),
        1
    );
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE action = 'incentive_payout.paid' AND subject_id = '{payout}'"
        )),
        1
    );
    assert_ledger_verifies(&l);
}

#[tokio::test]
async fn a_thousand_concurrent_applications_for_one_incentive_make_one_request() {
    let l = ledger_db().await;
    let id = incentive(&l, northwind(&l), 14, IncentiveKind::Nre, "12.00");
    let admin = member(&l, NW_ADMIN);
    let tasks: Vec<_> = (0..1000)
        .map(|i| {
            let (pool, admin) = (l.pool.clone(), admin.clone());
            tokio::task::spawn_blocking(move || {
                let mut conn = pool.get().expect("connection");
                apply::apply_one(&mut conn, &admin, id, &format!("race-key-{i:04}"))
            })
        })
        .collect();
    let mut made = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(a) if a.fresh => made += 1,
            Ok(_) => panic!("no two tasks share a key"),
            Err(ServiceError::Refused(Refusal::Incentive(IncentiveRefusal::AlreadyApplied))) => {}
            Err(e) => panic!("unexpected: {e:?}"),
        }
    }
    assert_eq!(made, 1);
    assert_eq!(
        l.count(&format!(
            "SELECT count(*) AS n FROM incentive_payout_items WHERE incentive_id = {id}"
        )),
        1
    );
}
