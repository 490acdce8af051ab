//! The performance totals are folded into one row per partner, manager and month (rule C5),
//! this month's included: the sums, and so the dashboard, stay the same, and a payment after a
//! fold writes its shard again.

use diesel::prelude::*;
use partner_center::services::dashboard::fold_shards;

use crate::support::spawn_app;

/// (shard, amount in cents) of Northwind's totals for `manager` in the month `back` months ago.
fn shards(app: &crate::support::TestApp, nw: i64, manager: i64, back: u32) -> Vec<(i16, i64)> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::SmallInt)]
        shard: i16,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        cents: i64,
    }
    let rows: Vec<Row> = diesel::sql_query(format!(
        "SELECT shard, (amount * 100)::bigint AS cents FROM order_month_totals \
         WHERE partner_id = {nw} AND manager_id = {manager} \
         AND period = (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') \
                       - interval '{back} months')::date ORDER BY shard"
    ))
    .load(&mut app.conn())
    .unwrap();
    rows.into_iter().map(|r| (r.shard, r.cents)).collect()
}

fn add(app: &crate::support::TestApp, nw: i64, manager: i64, back: u32, shard: i16, amount: &str) {
    diesel::sql_query(format!(
        "INSERT INTO order_month_totals AS t (partner_id, manager_id, period, shard, orders, amount) \
         VALUES ({nw}, {manager}, (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') \
                 - interval '{back} months')::date, {shard}, 1, {amount}) \
         ON CONFLICT (partner_id, manager_id, period, shard) DO UPDATE \
         SET orders = t.orders + 1, amount = t.amount + EXCLUDED.amount"
    ))
    .execute(&mut app.conn())
    .unwrap();
}

/// The "performance" chart's table and the per-manager table of the admin's dashboard.
fn performance_section(body: &str) -> String {
    let start = body
        .find("chart-performance-title")
        .expect("the performance chart");
    let end = body[start..]
        .find("</main>")
        .map_or(body.len(), |e| start + e);
    body[start..end].to_string()
}

#[tokio::test]
async fn shards_fold_into_one_row_a_month_and_the_dashboard_shows_the_same_figures() {
    let app = spawn_app().await;
    let nw = app.id_of("SELECT id AS n FROM organizations WHERE name = 'Northwind Distribution'");
    let mgr1 = app.id_of("SELECT id AS n FROM users WHERE email = 'mgr1@northwind.test'");
    // Three months ago: three shards, as three customers' payments left them; this month: two.
    for (shard, amount) in [(5, "100.10"), (17, "200.20"), (40, "300.30")] {
        add(&app, nw, mgr1, 3, shard, amount);
    }
    add(&app, nw, mgr1, 0, 9, "11.00");
    add(&app, nw, mgr1, 0, 33, "22.00");
    let closed_before: i64 = shards(&app, nw, mgr1, 3).iter().map(|s| s.1).sum();
    let open_before: i64 = shards(&app, nw, mgr1, 0).iter().map(|s| s.1).sum();
    let admin = app.signed_in("admin@northwind.test").await;
    let page_before = admin.get("/partner").await;
    assert_eq!(page_before.status, 200);

    fold_shards(&mut app.conn()).unwrap();

    let closed = shards(&app, nw, mgr1, 3);
    assert_eq!(
        closed,
        vec![(0, closed_before)],
        "one row, shard 0, same sum"
    );
    assert!(closed_before >= 60060);
    assert_eq!(
        shards(&app, nw, mgr1, 0),
        vec![(0, open_before)],
        "this month too: one row, same sum"
    );
    assert!(open_before >= 3300);
    // A late refund of the closed month writes its shard again; folding again adds it in.
    add(&app, nw, mgr1, 3, 12, "-0.30");
    fold_shards(&mut app.conn()).unwrap();
    assert_eq!(shards(&app, nw, mgr1, 3), vec![(0, closed_before - 30)]);
    add(&app, nw, mgr1, 3, 12, "0.30");
    assert_eq!(
        fold_shards(&mut app.conn()).unwrap(),
        1,
        "the one shard row"
    );

    let page_after = admin.get("/partner").await;
    assert_eq!(
        performance_section(&page_after.body),
        performance_section(&page_before.body)
    );
    // A payment after the fold writes its shard again beside the folded row.
    add(&app, nw, mgr1, 0, 9, "5.00");
    assert_eq!(shards(&app, nw, mgr1, 0), vec![(0, open_before), (9, 500)]);
    // Folded again, nothing is left in any other shard, for any partner and month.
    fold_shards(&mut app.conn()).unwrap();
    assert_eq!(shards(&app, nw, mgr1, 0), vec![(0, open_before + 500)]);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM order_month_totals WHERE shard <> 0"),
        0
    );
}
