//! Payments land in the paying customer's revenue shard of its signing entity, and the
//! operator console sums the shards per entity (rule P2, SPEC §6 receiving accounts).

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
    for (who, amount, key) in [
        (&acme, "12.34", "report-key-1"),
        (&globex, "0.66", "report-key-2"),
    ] {
        let cid = customer_id(who);
        set_balance(&mut conn, cid, "100.00");
        let o = order(&mut conn, cid, p, amount, amount);
        payments::pay_self(&mut conn, who, o, &Choice::default(), key).unwrap();
    }
    let entities: Vec<String> = ["it@acme.test", "cfo@globex.test"]
        .iter()
        .map(|e| {
            use diesel::prelude::*;
            use partner_center::db::schema::customers;
            customers::table
                .filter(customers::email.eq(*e))
                .select(customers::signing_entity)
                .first(&mut conn)
                .unwrap()
        })
        .collect();
    let totals = revenue::totals(&mut conn).unwrap();
    let expected_total: rust_decimal::Decimal = totals.iter().map(|(_, t)| *t).sum();
    assert_eq!(expected_total, dec("13.00"), "{totals:?}");
    // Two customers of one entity pay into different shards when their ids differ modulo
    // the shard count; the report sums them either way.
    assert_eq!(
        app.count("SELECT count(DISTINCT account_id) AS n FROM revenue_accounts"),
        if revenue::shard_of(customer_id(&acme)) == revenue::shard_of(customer_id(&globex))
            && entities[0] == entities[1]
        {
            1
        } else {
            2
        }
    );

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
