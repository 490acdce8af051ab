use crate::support::html::assert_valid;
use crate::support::spawn_app;

/// The rows of the "by manager" table, as (name, consumption, performance) cells' text.
fn manager_rows(body: &str) -> Vec<String> {
    let Some(start) = body.find("id=\"by-manager\"") else {
        return Vec::new();
    };
    let table = &body[start
        ..body[start..]
            .find("</table>")
            .map_or(body.len(), |e| start + e)];
    table
        .split("<tr><th scope=\"row\">")
        .skip(1)
        .map(|r| r.split('<').next().unwrap_or_default().to_string())
        .collect()
}

fn name_of(app: &crate::support::TestApp, email: &str) -> String {
    use diesel::prelude::*;
    use partner_center::db::schema::users;
    users::table
        .filter(users::email.eq(email))
        .select(users::display_name)
        .first(&mut app.conn())
        .unwrap()
}

#[tokio::test]
async fn admins_see_twelve_months_of_both_charts_and_every_manager_managers_only_their_own() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let page = admin.get("/partner").await;
    assert_eq!(page.status, 200);
    for id in [
        "chart-consumption-title",
        "chart-performance-title",
        "by-manager",
    ] {
        assert!(page.contains(id), "{id} on the page");
    }
    // Pending actions: the demo's pending invoice request to Northwind is waiting (B7).
    let tile = &page.body[page.body.find("id=\"invoices-waiting\"").expect("the tile")..];
    let value = tile
        .split("tile-value\">")
        .nth(1)
        .and_then(|v| v.split('<').next())
        .unwrap();
    assert!(
        value != "0" && !value.is_empty(),
        "waiting invoices: {value}"
    );
    // Twelve bars per chart, and a table row per month beside each.
    assert_eq!(page.body.matches("class=\"chart-bar\"").count(), 24);
    let (mgr1, mgr2) = (
        name_of(&app, "mgr1@northwind.test"),
        name_of(&app, "mgr2@northwind.test"),
    );
    let rows = manager_rows(&page.body);
    assert!(rows.contains(&mgr1) && rows.contains(&mgr2), "{rows:?}");

    // The consumption of the demo bills appears as issued: the sum over the kept totals.
    let total_cents = app.count(
        "SELECT (COALESCE(sum(amount), 0) * 100)::bigint AS n FROM bill_month_totals t \
         JOIN organizations o ON o.id = t.partner_id WHERE o.name LIKE 'Northwind%' \
         AND t.period >= (date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') - interval '11 months')::date",
    );
    assert!(total_cents > 0, "the demo has bills in these months");

    let m1 = app.signed_in("mgr1@northwind.test").await;
    let own = m1.get("/partner").await;
    assert_eq!(own.status, 200);
    let rows = manager_rows(&own.body);
    assert!(
        !rows.contains(&mgr2),
        "a manager sees no colleague: {rows:?}"
    );
    assert!(rows.iter().all(|r| *r == mgr1), "{rows:?}");

    let lead = app.signed_in("lead@northwind.test").await;
    let team = lead.get("/partner").await;
    assert_eq!(team.status, 200);
    assert_valid(&[
        ("dashboard admin".into(), page.body),
        ("dashboard manager".into(), own.body),
        ("dashboard supervisor".into(), team.body),
    ]);
}
