//! Bulk issue from CSV (rule K2; SPEC §6 columns `customer`, `face_value`, `valid_until`):
//! the dry-run preview equals the result, a file issues all rows or none and only once, a
//! rejected-row report, clear messages for malformed files, and another organisation's upload
//! is not found.

use partner_center::domain::CouponKind;

use super::issue::english;
use super::{assert_ledger_verifies, customer_id, grant_cents, grant_with, org_id, voucher_grant};
use crate::support::http::{Client, Page};
use crate::support::{TestApp, html, spawn_app};

mod chunks;

const BOUNDARY: &str = "----pc-coupon-boundary";

/// Posts the upload form: a grant and a file (raw bytes).
pub(super) async fn upload(c: &Client, grant: i64, file: &[u8]) -> Page {
    let token = c.get("/partner/coupons/bulk").await.csrf();
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"grant_id\"\r\n\r\n{grant}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let res = c
        .http
        .post(format!(
            "{}/partner/coupons/bulk/preview?csrf_token={token}",
            c.base
        ))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("upload");
    Client::page(res).await
}

/// The kept upload's id, from the preview's confirm form or report link.
pub(super) fn upload_id(page: &Page) -> i64 {
    let marker = "/partner/coupons/bulk/";
    page.body
        .match_indices(marker)
        .filter_map(|(at, _)| {
            let rest = &page.body[at + marker.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .next()
        .unwrap_or_else(|| panic!("no upload id in:\n{}", page.body))
}

fn text_of(page: &Page, id: &str) -> String {
    let at = page.body.find(&format!("id=\"{id}\"")).expect(id);
    let rest = &page.body[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest.find('<').unwrap();
    rest[start..end].to_string()
}

pub(super) async fn confirm(c: &Client, id: i64) -> Page {
    c.submit(
        &format!("/partner/coupons/bulk/{id}"),
        &format!("/partner/coupons/bulk/{id}/issue"),
        &[],
    )
    .await
}

fn coupons_of(app: &TestApp, grant: i64) -> i64 {
    app.count(&format!(
        "SELECT count(*) AS n FROM coupons WHERE grant_id = {grant}"
    ))
}

pub(super) async fn admin(app: &TestApp) -> Client {
    let c = app.signed_in("admin@northwind.test").await;
    english(&c).await;
    c
}

fn day(offset: i64) -> String {
    (partner_center::services::coupons::today() + chrono::Duration::days(offset)).to_string()
}

#[tokio::test]
async fn the_preview_equals_the_result_and_a_second_confirm_issues_nothing_more() {
    let app = spawn_app().await;
    let c = admin(&app).await;
    let org = org_id(&app, "Northwind Distribution");
    let grant = grant_with(
        &app,
        org,
        CouponKind::Voucher,
        "1000",
        (0, 60),
        &["ECS"],
        false,
    );
    let globex = customer_id(&app, "cfo@globex.test");
    let csv = format!(
        "\u{feff}customer,face_value,valid_until\r\n\
         IT@acme.test,100.00,{}\r\n\
         {globex},25.50,\r\n\
         it@acme.test,\"1,000.01\",{}\r\n",
        day(30),
        day(60)
    );
    // The third row asks more than the grant has left alone.
    let refused = upload(&c, grant, csv.as_bytes()).await;
    assert_eq!(refused.status, 200, "{}", refused.body);
    assert_eq!(text_of(&refused, "bulk-rows"), "3");
    assert_eq!(text_of(&refused, "bulk-rejected"), "1");
    let csv = csv.replace("\"1,000.01\"", "10.00");
    let preview = upload(&c, grant, csv.as_bytes()).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(text_of(&preview, "bulk-rejected"), "0");
    assert!(text_of(&preview, "bulk-total").ends_with("135.50"));
    assert!(preview.contains("action=\"/partner/coupons/bulk/"));
    assert_eq!(coupons_of(&app, grant), 0, "a preview issues nothing");
    let id = upload_id(&preview);
    let done = confirm(&c, id).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/partner/coupons"));
    assert_eq!(coupons_of(&app, grant), 3);
    assert_eq!(grant_cents(&app, grant), 100_000 - 13_550);
    let acme = customer_id(&app, "it@acme.test");
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM coupons WHERE grant_id = {grant} AND scope = '{{ECS}}' AND (\
             (customer_id = {acme} AND face_value = 100.00 AND valid_until = '{}') OR \
             (customer_id = {globex} AND face_value = 25.50 AND valid_until = '{}') OR \
             (customer_id = {acme} AND face_value = 10.00 AND valid_until = '{}'))",
            day(30),
            day(60),
            day(60)
        )),
        3
    );
    let again = confirm(&c, id).await;
    assert_eq!(again.status, 303);
    assert_eq!(coupons_of(&app, grant), 3);
    assert_eq!(grant_cents(&app, grant), 100_000 - 13_550);
    let shown = c.get(&format!("/partner/coupons/bulk/{id}")).await;
    assert!(shown.contains("issued already"));
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn a_file_with_one_bad_row_or_larger_than_the_grant_issues_nothing() {
    let app = spawn_app().await;
    let c = admin(&app).await;
    let org = org_id(&app, "Northwind Distribution");
    let grant = voucher_grant(&app, org, "100");
    let initech = customer_id(&app, "ops@initech.test");
    let bad = format!(
        "customer,face_value,valid_until\n\
         it@acme.test,10,\n\
         cfo@globex.test,1.234,\n\
         {initech},5,\n\
         nobody@nowhere.test,5,\n\
         it@acme.test,5,2030-02-31\n\
         ,5,\n"
    );
    let preview = upload(&c, grant, bad.as_bytes()).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(text_of(&preview, "bulk-rejected"), "5");
    assert!(preview.contains("two decimals") || preview.contains("decimal"));
    assert!(preview.contains("YYYY-MM-DD"));
    assert!(
        !preview.contains("action=\"/partner/coupons/bulk/"),
        "no confirm form"
    );
    let id = upload_id(&preview);
    let refused = confirm(&c, id).await;
    assert_eq!(refused.status, 422);
    assert_eq!(coupons_of(&app, grant), 0);
    let report = c
        .get(&format!("/partner/coupons/bulk/{id}/errors.csv"))
        .await;
    assert_eq!(report.status, 200);
    assert!(
        report.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let lines: Vec<&str> = report.body.lines().collect();
    assert_eq!(lines[0], "customer,face_value,valid_until,error");
    assert_eq!(lines.len(), 6, "{}", report.body);
    assert!(lines[1].starts_with("cfo@globex.test,1.234,,"));
    assert!(lines[2].contains("not one of your customers"));
    assert!(lines[3].starts_with("nobody@nowhere.test,5,,"));

    // Each row fits, the whole file does not.
    let big = "customer,face_value,valid_until\nit@acme.test,60,\ncfo@globex.test,60,\n";
    let preview = upload(&c, grant, big.as_bytes()).await;
    assert_eq!(text_of(&preview, "bulk-rejected"), "0");
    assert!(preview.contains("does not cover"));
    let refused = confirm(&c, upload_id(&preview)).await;
    assert_eq!(refused.status, 422);
    assert_eq!(coupons_of(&app, grant), 0);
    assert_eq!(grant_cents(&app, grant), 10_000);
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn malformed_files_get_a_clear_message_never_a_500() {
    let app = spawn_app().await;
    let c = admin(&app).await;
    let org = org_id(&app, "Northwind Distribution");
    let grant = voucher_grant(&app, org, "100");
    let cases: Vec<(&[u8], &str)> = vec![
        (
            b"customer,face_value\nit@acme.test,5\n",
            "has no column &#34;valid_until&#34;",
        ),
        (b"", "no rows"),
        (b"customer,face_value,valid_until\n", "no rows"),
        (b"\xff\xfe\x00customer", "not UTF-8"),
        (
            b"customer,face_value,valid_until\nit@acme.test,5\n",
            "cannot be read as CSV (near line 2)",
        ),
    ];
    for (file, expected) in cases {
        let res = upload(&c, grant, file).await;
        assert_eq!(res.status, 422, "{expected}: {}", res.body);
        assert!(res.contains(expected), "{expected}: {}", res.body);
        assert!(res.contains("id=\"e-file\""));
    }
    let too_many: String = std::iter::once("customer,face_value,valid_until\n".to_string())
        .chain((0..10_001).map(|_| "it@acme.test,1,\n".to_string()))
        .collect();
    let res = upload(&c, grant, too_many.as_bytes()).await;
    assert_eq!(res.status, 422);
    assert!(res.contains("more than 10000 rows"), "{}", res.body);
    let huge = vec![b'a'; 3 * 1024 * 1024];
    let res = upload(&c, grant, &huge).await;
    assert_eq!(res.status, 413);
    assert_eq!(
        app.count(&format!(
            "SELECT count(*) AS n FROM coupon_uploads WHERE grant_id = {grant}"
        )),
        0
    );
}

#[tokio::test]
async fn another_organisations_upload_or_grant_is_not_found_and_supervisors_get_403() {
    let app = spawn_app().await;
    let c = admin(&app).await;
    let org = org_id(&app, "Northwind Distribution");
    let grant = voucher_grant(&app, org, "100");
    let preview = upload(
        &c,
        grant,
        b"customer,face_value,valid_until\nit@acme.test,5,\n",
    )
    .await;
    let id = upload_id(&preview);
    let contoso = app.signed_in("admin@contoso.test").await;
    assert_eq!(
        contoso
            .get(&format!("/partner/coupons/bulk/{id}"))
            .await
            .status,
        404
    );
    assert_eq!(
        contoso
            .get(&format!("/partner/coupons/bulk/{id}/errors.csv"))
            .await
            .status,
        404
    );
    assert_eq!(confirm(&contoso, id).await.status, 404);
    assert_eq!(
        upload(&contoso, grant, b"customer,face_value,valid_until\nx,1,\n")
            .await
            .status,
        404
    );
    let lead = app.signed_in("lead@northwind.test").await;
    assert_eq!(
        lead.get(&format!("/partner/coupons/bulk/{id}"))
            .await
            .status,
        403
    );
    assert_eq!(coupons_of(&app, grant), 0);
}

#[tokio::test]
async fn the_bulk_form_and_preview_are_valid_html() {
    let app = spawn_app().await;
    let c = admin(&app).await;
    let org = org_id(&app, "Northwind Distribution");
    let grant = voucher_grant(&app, org, "100");
    let mut pages = vec![(
        "form".to_string(),
        c.get("/partner/coupons/bulk").await.body,
    )];
    let fine = upload(
        &c,
        grant,
        b"customer,face_value,valid_until\nit@acme.test,5,\n",
    )
    .await;
    pages.push(("preview-fine".into(), fine.body));
    let bad = upload(
        &c,
        grant,
        b"customer,face_value,valid_until\nit@acme.test,0,\n",
    )
    .await;
    let id = upload_id(&bad);
    pages.push(("preview-rejected".into(), bad.body));
    pages.push(("refused".into(), confirm(&c, id).await.body));
    let malformed = upload(&c, grant, b"customer\nx\n").await;
    pages.push(("malformed".into(), malformed.body));
    html::assert_valid(&pages);
}
