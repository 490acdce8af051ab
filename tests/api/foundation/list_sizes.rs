//! Every list page costs the same number of statements whatever its page size (SPEC §6 "List
//! queries": `size` 20 by default, 50 or 100; SPEC §4: no query per row). The customer and
//! coupon lists have tests of their own with their filters; this one walks every other list
//! of each audience at sizes 1, 20 and 100 on the demo data.

use crate::customers::queries::{install, statements_for};
use crate::support::{Client, spawn_app};

/// The lists a partner admin, a customer manager, a customer and an operator open, with the
/// query each is read with.
const ADMIN: &[&str] = &[
    "/partner/orders?tab=all",
    "/partner/orders?tab=paid",
    "/partner/orders",
    "/partner/bills",
    "/partner/bills?state=unpaid",
    "/partner/invoices",
    "/partner/invoices?state=pending&q=acme",
    "/partner/incentives",
    "/partner/incentives/invoices",
    "/partner/invitations",
    "/partner/resellers",
    "/partner/resellers/invitations",
    "/partner/resellers/applications",
    "/partner/customers?credit=arrears",
    "/partner/coupons/quotas",
    "/partner/audit",
];
const MANAGER: &[&str] = &[
    "/partner/orders?tab=all",
    "/partner/bills",
    "/partner/invoices",
];
const CUSTOMER: &[&str] = &[
    "/fee-center/orders",
    "/fee-center/bills",
    "/fee-center/invoices",
    "/fee-center/coupons",
    "/fee-center/cash-coupons",
    "/fee-center/account",
];
const OPERATOR: &[&str] = &[
    "/ops/invoices",
    "/ops/incentives",
    "/ops/incentives/payouts",
    "/ops/withdrawals",
    "/ops/quotas",
    "/ops/catalog",
    "/ops/applications",
    "/ops/ledger",
    "/ops/audit",
];

/// Lists whose statement is written once per offered size (`keyset::offered_size`): any other
/// size is the default.
const OFFERED_SIZES_ONLY: &[&str] = &["/fee-center/account"];

/// `path` with `size=` added to its query.
fn sized(path: &str, size: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}size={size}")
}

/// The statements of `path` at sizes 1, 20 and 100, after one view to warm what a first
/// view reads once.
async fn counts_at_sizes(
    app: &crate::support::TestApp,
    c: &Client,
    path: &str,
) -> Vec<(&'static str, Vec<String>)> {
    c.get(path).await;
    let mut counts = Vec::new();
    for size in ["1", "20", "100"] {
        counts.push((size, statements_for(app, c, &sized(path, size)).await));
    }
    counts
}

/// The "next" link of a page read at size 1 carries the size (`&` is written either way).
fn keeps_size(body: &str) -> bool {
    body.replace("&#38;", "&amp;").contains("size=1&amp;after=")
}

/// Table rows and list items on a page.
fn rows(body: &str) -> usize {
    body.matches("<tr").count() + body.matches("<li").count()
}

#[tokio::test]
async fn every_list_runs_the_same_number_of_statements_at_sizes_1_20_and_100() {
    install();
    let app = spawn_app().await;
    let mut failures = Vec::new();
    let mut longer = 0;
    for (who, paths) in [
        ("admin@northwind.test", ADMIN),
        ("mgr1@northwind.test", MANAGER),
        ("it@acme.test", CUSTOMER),
        ("ops@demo.test", OPERATOR),
    ] {
        let c = app.signed_in(who).await;
        for path in paths {
            let counts = counts_at_sizes(&app, &c, path).await;
            let first = counts[0].1.len();
            if first == 0 || first > 4 {
                failures.push(format!("{who} {path}: {first} statements at size 1"));
            }
            for (size, stmts) in &counts {
                if stmts.len() != first {
                    failures.push(format!(
                        "{who} {path} size={size}: {} statements, {first} at size 1:\n{}",
                        stmts.len(),
                        stmts.join("\n")
                    ));
                }
            }
            // The size is honoured: a page of one row links to the next when there is more,
            // with the size kept, and shows fewer rows than a page of a hundred.
            let one = c.get(&sized(path, "1")).await;
            if one.body.contains("after=") {
                longer += 1;
                let hundred = c.get(&sized(path, "100")).await;
                let honoured = if OFFERED_SIZES_ONLY.contains(path) {
                    // Only 20, 50 and 100 are offered: size 1 is the default page.
                    rows(&one.body) < rows(&hundred.body) && !one.body.contains("size=")
                } else {
                    rows(&one.body) < rows(&hundred.body) && keeps_size(&one.body)
                };
                if !honoured {
                    failures.push(format!("{who} {path}: size=1 not honoured"));
                }
            }
        }
    }
    // The outbox's statements are the mail worker's too, so only its size is checked.
    let ops = app.signed_in("ops@demo.test").await;
    for _ in 0..2 {
        let sent = ops.submit("/ops/outbox", "/ops/outbox/test", &[]).await;
        assert!(sent.status == 303 || sent.status == 200, "{}", sent.status);
    }
    let one = ops.get("/ops/outbox?size=1").await;
    let hundred = ops.get("/ops/outbox?size=100").await;
    assert!(keeps_size(&one.body), "{}", one.body);
    assert!(rows(&one.body) < rows(&hundred.body));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The demo data fills enough of these lists for the sizes to change what they show.
    assert!(
        longer >= 12,
        "only {longer} lists had a second page at size 1"
    );
}
