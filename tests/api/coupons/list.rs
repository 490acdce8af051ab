//! The issued-coupons list and one coupon's page (rules K2a, X3, A5, C10): filters, `q`, keyset
//! pages, roles and scope, the CSV export (`access`), the expiring-soon flags, one coupon's
//! page (`detail`).

mod access;
mod detail;

use partner_center::domain::CouponKind;
use partner_center::services::coupons::issue::IssueInput;

use super::{
    NW_ADMIN, cash_grant, customer_id, ends_in, grant_with, ids_on, issue_as, issue_input,
    issue_input_as, issue_one, org_id, unescaped, use_up, voucher_grant,
};
use crate::support::spawn_app;

#[tokio::test]
async fn filters_text_search_and_keyset_pages_keep_the_filters_in_the_pager() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let (acme, globex) = (
        customer_id(&app, "it@acme.test"),
        customer_id(&app, "cfo@globex.test"),
    );
    let vouchers = voucher_grant(&app, nw, "10000.00");
    let cash = cash_grant(&app, nw, "5000.00");
    let acme_ids: Vec<i64> = (0..5)
        .map(|i| issue_one(&app, vouchers, acme, &format!("{}.00", 10 + i)))
        .collect();
    let globex_cash = issue_one(&app, cash, globex, "20.00");
    let globex_voucher = issue_one(&app, vouchers, globex, "30.00");
    let admin = app.signed_in("admin@northwind.test").await;

    // Keyset pages of two, newest first, with the grant filter and size kept in every link.
    let mut seen = Vec::new();
    let mut path = format!("/partner/coupons?grant={vouchers}&size=2");
    for _ in 0..5 {
        let page = admin.get(&path).await;
        assert_eq!(page.status, 200, "{path}");
        let ids = ids_on(&page.body);
        assert!(ids.len() <= 2, "{ids:?}");
        seen.extend(ids);
        match page.next_link() {
            Some(next) => {
                assert!(next.contains(&format!("grant={vouchers}")), "{next}");
                assert!(next.contains("size=2") && next.contains("after="), "{next}");
                assert!(next.starts_with("/partner/coupons?q="), "{next}");
                path = next;
            }
            None => break,
        }
    }
    let mut expected: Vec<i64> = acme_ids.clone();
    expected.push(globex_voucher);
    expected.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(
        seen, expected,
        "every coupon of the grant once, newest first"
    );

    // Kind, customer, state and text filters.
    let page = admin
        .get(&format!(
            "/partner/coupons?kind=cash_coupon&customer={globex}&grant={cash}"
        ))
        .await;
    assert_eq!(ids_on(&page.body), vec![globex_cash]);
    let page = admin
        .get(&format!(
            "/partner/coupons?grant={vouchers}&customer={acme}&size=50"
        ))
        .await;
    assert_eq!(ids_on(&page.body).len(), 5);
    let page = admin.get("/partner/coupons?q=Globex").await;
    let ids = ids_on(&page.body);
    assert!(ids.contains(&globex_cash) && ids.contains(&globex_voucher));
    assert!(
        !ids.iter().any(|i| acme_ids.contains(i)),
        "q matches the company"
    );
    // The demo data holds Globex's own coupons too: the address finds exactly Globex's.
    let globex_all = app.count(&format!(
        "SELECT count(*) AS n FROM coupons WHERE customer_id = {globex}"
    )) as usize;
    let page = admin
        .get("/partner/coupons?q=CFO%40globex.test&size=100")
        .await;
    let ids = ids_on(&page.body);
    assert!(
        ids.len() == globex_all.min(100) && ids.contains(&globex_cash),
        "the whole e-mail address matches"
    );
    let page = admin.get("/partner/coupons?q=cfo%40globex").await;
    assert!(ids_on(&page.body).is_empty(), "part of an address does not");
    let page = admin
        .get(&format!("/partner/coupons?state=used&grant={vouchers}"))
        .await;
    assert!(ids_on(&page.body).is_empty());
    use_up(&app, acme_ids[0]);
    let page = admin
        .get(&format!("/partner/coupons?state=used&grant={vouchers}"))
        .await;
    assert_eq!(ids_on(&page.body), vec![acme_ids[0]]);
    // The list masks e-mails (rule A5).
    let page = admin
        .get(&format!("/partner/coupons?customer={globex}"))
        .await;
    assert!(page.contains("c***@globex.test"));
    assert!(!page.contains("cfo@globex.test"));
    // Malformed values are ignored, not refused.
    let page = admin
        .get("/partner/coupons?state=nope&kind=x&customer=abc&expiring=-1&size=7000&after=z")
        .await;
    assert_eq!(page.status, 200);
}

#[tokio::test]
async fn coupons_expiring_within_seven_days_are_flagged_counted_and_filtered() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let acme = customer_id(&app, "it@acme.test");
    let grant = voucher_grant(&app, nw, "1000.00");
    let soon = issue_one(&app, grant, acme, "10.00");
    let later = issue_one(&app, grant, acme, "10.00");
    let soon_used = issue_one(&app, grant, acme, "10.00");
    ends_in(&app, soon, 3);
    ends_in(&app, later, 30);
    ends_in(&app, soon_used, 2);
    use_up(&app, soon_used);
    let admin = app.signed_in("admin@northwind.test").await;
    let before = admin.get("/partner/coupons?expiring=7").await;
    let ids = ids_on(&before.body);
    assert!(ids.contains(&soon), "{ids:?}");
    assert!(
        !ids.contains(&later) && !ids.contains(&soon_used),
        "{ids:?}"
    );
    let ids = ids_on(&admin.get("/partner/coupons?expiring=30").await.body);
    assert!(ids.contains(&soon) && ids.contains(&later) && !ids.contains(&soon_used));
    // The count at the top links to the filter; the row carries the flag.
    let page = admin.get(&format!("/partner/coupons?grant={grant}")).await;
    assert!(unescaped(&page.body).contains("href=\"/partner/coupons?q=&expiring=7\""));
    assert_eq!(page.body.matches("class=\"expiring-soon\"").count(), 1);
    let detail = admin.get(&format!("/partner/coupons/{soon}")).await;
    assert!(
        detail.contains("state state-pending"),
        "flag on the coupon page"
    );
    // The dashboard tile for admins and supervisors, not for managers.
    let home = admin.get("/partner").await;
    assert!(home.contains("id=\"expiring-coupons\""));
    assert!(unescaped(&home.body).contains("href=\"/partner/coupons?q=&expiring=7\""));
    let lead = app.signed_in("lead@northwind.test").await;
    assert!(
        lead.get("/partner")
            .await
            .contains("id=\"expiring-coupons\"")
    );
    let mgr = app.signed_in("mgr1@northwind.test").await;
    assert!(
        !mgr.get("/partner")
            .await
            .contains("id=\"expiring-coupons\"")
    );
}

#[tokio::test]
async fn the_expiring_count_stops_at_one_hundred_and_shows_more_as_100_plus() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let acme = customer_id(&app, "it@acme.test");
    let grant = voucher_grant(&app, nw, "1000.00");
    let first = issue_one(&app, grant, acme, "1.00");
    ends_in(&app, first, 1);
    // 101 more expiring copies of it, without ledger accounts of their own moving anything:
    // the count reads ids only.
    app.count(&format!(
        "WITH a AS (INSERT INTO ledger_accounts (kind, label) \
           SELECT 'coupon', 'copy ' || g FROM generate_series(1, 101) g RETURNING id), \
         c AS (INSERT INTO coupons (kind, customer_id, partner_id, grant_id, account_id, \
           face_value, valid_from, valid_until, issue_key) \
           SELECT kind, customer_id, partner_id, grant_id, a.id, face_value, valid_from, \
             valid_until, 'copy-' || a.id FROM coupons, a WHERE coupons.id = {first} RETURNING 1) \
         SELECT count(*) AS n FROM c"
    ));
    let admin = app.signed_in("admin@northwind.test").await;
    let home = admin.get("/partner").await;
    assert!(home.contains(">100+<"), "dashboard shows 100+");
    let page = admin.get("/partner/coupons").await;
    assert!(page.contains("100+"));
}

#[tokio::test]
async fn the_expiring_list_shows_the_soonest_to_end_first_and_pages_in_that_order() {
    let app = spawn_app().await;
    let nw = org_id(&app, "Northwind Distribution");
    let acme = customer_id(&app, "it@acme.test");
    let grant = voucher_grant(&app, nw, "1000.00");
    // Issued in this order, ending in 5, 1, 3, 1, 6 days: soonest first, then by id.
    let ids: Vec<i64> = [5, 1, 3, 1, 6]
        .iter()
        .map(|days| {
            let id = issue_one(&app, grant, acme, "10.00");
            ends_in(&app, id, *days);
            id
        })
        .collect();
    let expected = vec![ids[1], ids[3], ids[2], ids[0], ids[4]];
    let admin = app.signed_in("admin@northwind.test").await;
    let mut seen = Vec::new();
    let mut path = format!("/partner/coupons?grant={grant}&expiring=7&size=2");
    for _ in 0..5 {
        let page = admin.get(&path).await;
        assert_eq!(page.status, 200);
        seen.extend(ids_on(&page.body));
        match page.next_link() {
            Some(next) => {
                assert!(
                    next.contains("expiring=7") && next.contains("after="),
                    "{next}"
                );
                path = next;
            }
            None => break,
        }
    }
    assert_eq!(seen, expected, "soonest to end first, each once");
    // A cursor of the other kind, or a malformed one, starts from the beginning.
    for after in ["12", "2026-13-01.5", "x.y"] {
        let page = admin
            .get(&format!(
                "/partner/coupons?grant={grant}&expiring=7&size=2&after={after}"
            ))
            .await;
        assert_eq!(page.status, 200);
        assert_eq!(ids_on(&page.body), expected[..2].to_vec(), "{after}");
    }
}
