//! Payments land in the paying customer's revenue shard of its signing entity, and the
//! operator console sums the shards per entity (rule P2, SPEC §6 receiving accounts).

use diesel::prelude::*;
use partner_center::db::schema::customers;
use partner_center::ledger::revenue;
use partner_center::services::payments::{self, Choice};

use super::fixtures::*;
use crate::support::spawn_app;

#[tokio::test]
async fn the_operator_sees_revenue_per_signing_entity_summed_over_its_shards() {
    let app = spawn_app().await;
    let mut conn = app.conn();
    let acme = customer(&mut conn, "it@acme.test");
    let globex = customer(&mut conn, "cfo@globex.test");
    let p = product(&mut conn, "ecs-report", "10.00");
    let sum = |totals: &[(String, rust_decimal::Decimal)]| -> rust_decimal::Decimal {
        totals.iter().map(|(_, t)| *t).sum()
    };
    // Every shard of both entities opened first, so a payment sent to the wrong shard
    // would find an account there instead of opening the right one.
    for who in [&acme, &globex] {
        let entity: String = customers::table
            .find(customer_id(who))
            .select(customers::signing_entity)
            .first(&mut conn)
            .unwrap();
        for fake_customer in 0..revenue::SHARDS {
            revenue::account_for(&mut conn, &entity, fake_customer).unwrap();
        }
    }
    let before = sum(&revenue::totals(&mut conn).unwrap());
    for (who, amount, key) in [
        (&acme, "12.34", "report-key-1"),
        (&globex, "0.66", "report-key-2"),
        (&acme, "1.00", "report-key-3"),
    ] {
        let cid = customer_id(who);
        set_balance(&mut conn, cid, "100.00");
        let o = order(&mut conn, cid, p, amount, amount);
        payments::pay_self(&mut conn, who, o, &Choice::default(), key).unwrap();
        // The payment went to the shard of its customer in its order's signing entity.
        assert_eq!(
            app.count(&format!(
                "SELECT count(*) AS n FROM order_payments op \
                 JOIN ledger_transfers t ON t.id = op.transfer_id \
                 JOIN revenue_accounts r ON r.account_id = t.to_account_id \
                 JOIN orders o ON o.id = op.order_id \
                 WHERE op.order_id = {o} AND r.signing_entity = o.signing_entity \
                 AND r.shard = {}",
                revenue::shard_of(cid)
            )),
            1
        );
    }
    let totals = revenue::totals(&mut conn).unwrap();
    assert_eq!(sum(&totals) - before, dec("14.00"), "{totals:?}");

    let ops = app.signed_in("ops@demo.test").await;
    let page = ops.get("/ops").await;
    assert_eq!(page.status, 200);
    for (entity, total) in &totals {
        assert!(page.contains(entity), "{entity} listed");
        assert!(
            page.contains(&partner_center::domain::money::format_amount(*total)),
            "{total} listed"
        );
    }
}
