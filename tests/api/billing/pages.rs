//! The bill and usage pages (rules B1, B2; SPEC §4 "Valid and accessible", §5 "Lists"): valid
//! HTML in both languages, the cut-off shown per line and in total, kept counts, pager links
//! that keep `q`, and an import's page with its progress and report link.

use diesel::prelude::*;
use partner_center::db::schema::bills;
use partner_center::domain::money::format_amount;
use partner_center::views::bills::format_rated;

use super::{bill_of, csv, finished, month, upload};
use crate::support::{html, spawn_app};

#[tokio::test]
async fn bill_pages_show_the_cut_off_per_line_and_in_total_and_are_valid_html() {
    let app = spawn_app().await;
    let acme = app.id_of("SELECT id AS n FROM customers WHERE email = 'it@acme.test'");
    let globex = app.id_of("SELECT id AS n FROM customers WHERE email = 'cfo@globex.test'");
    let kestrel = app.id_of("SELECT id AS n FROM customers WHERE company = 'Kestrel Air'");
    let last = month(1);
    let own = bill_of(&app, acme, last);
    let cut_off: rust_decimal::Decimal = bills::table
        .find(own)
        .select(bills::cut_off)
        .first(&mut app.conn())
        .unwrap();
    let it = app.signed_in("it@acme.test").await;
    let page = it.get(&format!("/fee-center/bills/{own}")).await;
    assert_eq!(page.status, 200);
    assert_eq!(super::text_of(&page, "bill-cut-off"), format_rated(cut_off));
    let lines = page.body.matches("<tr>").count();
    assert!(lines >= 4, "the lines, each with its cut-off");

    let admin = app.signed_in("admin@northwind.test").await;
    let list = admin
        .get_with("/partner/bills", &[("Accept-Language", "en")])
        .await;
    assert!(list.contains("id=\"bill-totals\""), "kept counts");
    // Pager links keep the filters (SPEC §5).
    let paged = admin.get("/partner/bills?q=Acme&size=1").await;
    assert!(
        paged.contains("q=Acme") && paged.contains("after="),
        "{}",
        paged.body
    );

    let ops = app.signed_in("ops@demo.test").await;
    let res = upload(
        &ops,
        "p.csv",
        &csv(&[
            format!("pg-1,{acme},cdn.gb,{},1,1", month(0)),
            "x,y,z,w,v,u".into(),
        ]),
    )
    .await;
    let import = res.location.clone().expect("import page");
    let import_page = finished(&ops, import.rsplit('/').next().unwrap().parse().unwrap()).await;
    assert!(import_page.contains("id=\"rejected-report\""));

    let mut pages = Vec::new();
    for lang in ["en", "zh-CN"] {
        let h = [("Accept-Language", lang)];
        for (c, path) in [
            (&admin, "/partner/bills".to_string()),
            (&admin, format!("/partner/bills?q=&month={last}&state=paid")),
            (&admin, format!("/partner/bills/{own}")),
            (
                &admin,
                format!("/partner/bills/{}", bill_of(&app, globex, last)),
            ),
            (
                &admin,
                format!("/partner/bills/{}", bill_of(&app, kestrel, last)),
            ),
            (&it, "/fee-center/bills".to_string()),
            (&it, format!("/fee-center/bills/{own}")),
            (&ops, "/ops/usage".to_string()),
            (&ops, import.clone()),
        ] {
            let p = c.get_with(&path, &h).await;
            assert_eq!(p.status, 200, "{path}");
            pages.push((format!("{lang} {path}"), p.body));
        }
    }
    html::assert_valid(&pages);
}

/// The list's count and total (rule B2, from the kept monthly totals) ride on its page's
/// statement; a page with no bill reads them apart. Both agree with a recount of the bills, for
/// an admin and for a customer manager (rule C5: the months they managed).
#[tokio::test]
async fn the_lists_totals_match_a_recount_with_and_without_bills_on_the_page() {
    let app = spawn_app().await;
    let acme = app.id_of("SELECT id AS n FROM customers WHERE email = 'it@acme.test'");
    let last = month(1);
    bill_of(&app, acme, last);
    let org = super::org_id(&app, "Northwind Distribution");
    let mgr1 = super::user_id(&app, "mgr1@northwind.test");
    let period = format!("DATE '{}'", last.first_day());
    let en = [("Accept-Language", "en")];

    let admin = app.signed_in("admin@northwind.test").await;
    let bills_of_org = app.count(&format!(
        "SELECT count(*) AS n FROM bills WHERE partner_id = {org}"
    ));
    assert!(bills_of_org > 0, "the month's bills are issued");
    let cents = app.count(&format!(
        "SELECT (COALESCE(sum(amount), 0) * 100)::bigint AS n FROM bills WHERE partner_id = {org}"
    ));
    let page = admin.get_with("/partner/bills", &en).await;
    assert_eq!(
        super::text_of(&page, "bill-totals"),
        format!(
            "{bills_of_org} bills, ¥{} in total",
            format_amount(rust_decimal::Decimal::new(cents, 2))
        )
    );

    let manager = app.signed_in("mgr1@northwind.test").await;
    let managed = app.count(&format!(
        "SELECT count(*) AS n FROM bill_managers WHERE partner_id = {org} AND manager_id = {mgr1} \
         AND period = {period}"
    ));
    assert!(managed > 0, "mgr1 managed Acme that month");
    let page = manager
        .get_with(&format!("/partner/bills?month={last}"), &en)
        .await;
    assert!(
        super::text_of(&page, "bill-totals").starts_with(&format!("{managed} bills, ")),
        "{}",
        page.body
    );

    // A month without bills: no row carries the totals, which are read apart.
    let empty = month(30);
    for reader in [&admin, &manager] {
        let page = reader
            .get_with(&format!("/partner/bills?month={empty}"), &en)
            .await;
        assert_eq!(page.status, 200);
        assert_eq!(
            super::text_of(&page, "bill-totals"),
            "0 bills, ¥0.00 in total"
        );
    }
}
