//! `?q=` on the issuer's invoice list (rule B7): the newest invoices are searched first with a
//! kept plan, and a search they do not answer reads the whole list, so what a page shows does
//! not depend on where the window of recent invoices ends.

use partner_center::services::invoices::lists::RECENT_WINDOW;

use super::{exec, first_invoice, january_bill, request_amount, setup, signed_in};
use crate::support::http::{Client, next_link};

/// The invoice ids a list page links to, in page order, and its "next" link.
fn ids_and_next(body: &str) -> (Vec<i64>, Option<String>) {
    let ids = body
        .split("<td><a href=\"/partner/invoices/")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect();
    (ids, next_link(body))
}

/// Every id the list shows for `path`, following its "next" links.
async fn every_page(c: &Client, path: &str) -> Vec<i64> {
    let mut all = Vec::new();
    let mut next = Some(path.to_string());
    while let Some(p) = next {
        let page = c.get(&p).await;
        assert_eq!(page.status, 200, "{p}");
        let (ids, n) = ids_and_next(&page.body);
        all.extend(ids);
        next = n;
    }
    all
}

#[tokio::test]
async fn a_search_finds_the_same_invoices_inside_and_beyond_the_recent_window() {
    let s = setup(false).await;
    january_bill(&s, "300.00");
    let request = request_amount(&s.client, s.title, "10.00", "electronic").await;
    let buyers = first_invoice(&s.app, request);
    // Newer than the buyer's: more pending invoices of Acme than the window holds.
    let acme = s
        .app
        .id_of("SELECT id AS n FROM customers WHERE company = 'Acme Corp'");
    let extra = RECENT_WINDOW + 100;
    exec(
        &s.app,
        &format!(
            "INSERT INTO invoices (request_id, customer_id, issuer_org_id, signing_entity, \
                                   tax_rate, medium, invoice_kind, amount, state) \
             SELECT request_id, {acme}, issuer_org_id, signing_entity, tax_rate, medium, \
                    invoice_kind, amount, 'pending' \
             FROM invoices, generate_series(1, {extra}) WHERE id = {buyers}"
        ),
    );
    let admin = signed_in(&s.app, "admin@northwind.test").await;

    // Older than every invoice of the window: found by reading the whole list.
    let (ids, next) = ids_and_next(
        &admin
            .get("/partner/invoices?q=buyer%40invoice.test&state=pending")
            .await
            .body,
    );
    assert_eq!(ids, vec![buyers]);
    assert_eq!(next, None);

    // Acme's, page by page across the window's end: each once, newest first, as stored.
    let expected: Vec<i64> = {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            id: i64,
        }
        let org = super::org(&s.app, "Northwind Distribution");
        diesel::sql_query(format!(
            "SELECT id FROM invoices WHERE customer_id = {acme} AND issuer_org_id = {org} \
             AND state = 'pending' ORDER BY id DESC"
        ))
        .load::<Id>(&mut s.app.conn())
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect()
    };
    assert!(expected.len() as i64 > RECENT_WINDOW);
    let shown = every_page(&admin, "/partner/invoices?q=acme&state=pending&size=100").await;
    assert_eq!(shown, expected);
    // A manager searches within their customers only (SPEC §6), whichever way it is read.
    let mgr1 = super::user(&s.app, "mgr1@northwind.test");
    let managed = s.app.count(&format!(
        "SELECT count(*) AS n FROM customers WHERE id = {acme} AND manager_id = {mgr1}"
    )) == 1;
    let manager = signed_in(&s.app, "mgr1@northwind.test").await;
    let seen = every_page(&manager, "/partner/invoices?q=acme&state=pending&size=100").await;
    assert_eq!(seen, if managed { expected.clone() } else { vec![] });
    let theirs = every_page(&manager, "/partner/invoices?q=buyer%40invoice.test").await;
    assert!(theirs.is_empty() || theirs == vec![buyers]);

    // A text nothing matches: an empty page, no next link.
    let none = admin
        .get("/partner/invoices?q=nobody-here&state=pending")
        .await;
    assert_eq!(none.status, 200);
    assert_eq!(ids_and_next(&none.body), (vec![], None));
    // The whole list of every state holds the buyer's invoice once, below Acme's.
    let all = every_page(&admin, "/partner/invoices?q=buyer%40invoice.test&size=100").await;
    assert_eq!(all, vec![buyers]);
}
