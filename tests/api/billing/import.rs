//! rule B2 (SPEC §6 "CSV files"): the usage import is idempotent per record id, checks every
//! row and reports rejected rows with their reason (the file's columns plus `error`), shows its
//! progress, and never answers a malformed upload or id with a 500.

use super::{csv, finished, month, upload};
use crate::support::http::Page;
use crate::support::spawn_app;

fn import_id(page: &Page) -> i64 {
    let to = page
        .location
        .as_deref()
        .unwrap_or_else(|| panic!("{}: {}", page.status, page.body));
    to.rsplit('/').next().unwrap().parse().expect("import id")
}

#[tokio::test]
async fn reimporting_a_file_creates_no_duplicates_and_a_bad_row_is_reported_with_its_reason() {
    let app = spawn_app().await;
    let ops = app.signed_in("ops@demo.test").await;
    let now = month(0);
    let last = month(1);
    let acme = app.id_of("SELECT id AS n FROM customers WHERE email = 'it@acme.test'");
    let rows = vec![
        format!("ok-1,{acme},ecs.vcpu-hour,{now},10.5,0.12345678"),
        format!("ok-2,cfo@globex.test,obs.gb-month,{now},3,0.099"),
        format!("ok-3,IT@ACME.TEST,cdn.gb,{now},1,1"),
        format!("bad-customer,nobody@nowhere.test,cdn.gb,{now},1,1"),
        format!("bad-product,{acme},no.such-product,{now},1,1"),
        format!("bad-period,{acme},cdn.gb,2026-13,1,1"),
        format!("bad-qty,{acme},cdn.gb,{now},1.123456789,1"),
        format!("bad-price,{acme},cdn.gb,{now},1,-2"),
        format!("future,{acme},cdn.gb,{},1,1", now.next()),
        format!("billed,{acme},cdn.gb,{last},1,1"),
        format!("ok-1,{acme},ecs.vcpu-hour,{now},10.5,0.12345678"),
        format!(",{acme},cdn.gb,{now},1,1"),
        "=cmd(),x,y,z,w,v".to_string(),
    ];
    let file = csv(&rows);
    let res = upload(&ops, "usage.csv", &file).await;
    assert_eq!(res.status, 303, "{}", res.body);
    let id = import_id(&res);
    let page = finished(&ops, id).await;
    assert_eq!(page.status, 200);
    assert_eq!(super::text_of(&page, "rows-imported"), "3");
    assert_eq!(super::text_of(&page, "rows-rejected"), "10");
    let stored = app.count("SELECT count(*) AS n FROM usage_lines WHERE record_id LIKE 'ok-%'");
    assert_eq!(stored, 3);

    // The report: the file's columns plus `error`, one row per rejected row, with its reason.
    let report = ops
        .get_with(
            &format!("/ops/usage/imports/{id}/rejected.csv"),
            &[("Accept-Language", "en")],
        )
        .await;
    assert_eq!(report.status, 200);
    assert!(
        report.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let mut lines = report.body.lines();
    assert_eq!(
        lines.next(),
        Some("record_id,customer,product,period,quantity,unit_price,error")
    );
    let body: Vec<&str> = lines.collect();
    assert_eq!(body.len(), 10, "{}", report.body);
    let reason = |record: &str| {
        body.iter()
            .find(|l| l.starts_with(&format!("{record},")))
            .unwrap_or_else(|| panic!("{record} in {}", report.body))
            .to_string()
    };
    assert!(reason("bad-customer").contains("No customer has this id or e-mail"));
    assert!(reason("bad-product").contains("No product has this code"));
    assert!(reason("bad-period").contains("YYYY-MM"));
    assert!(reason("bad-qty").contains("at most 8 decimals"));
    assert!(reason("bad-price").contains("zero or more"));
    assert!(reason("future").contains("after the current month"));
    assert!(reason("billed").contains("has been issued"));
    assert!(reason("ok-1").contains("appears earlier in the file"));
    assert!(
        report.body.contains("'=cmd()"),
        "formulas are defused: {}",
        report.body
    );

    // The same file again: nothing new, the good rows are known, the bad ones rejected again.
    let again = import_id(&upload(&ops, "usage.csv", &file).await);
    let page = finished(&ops, again).await;
    assert_eq!(super::text_of(&page, "rows-imported"), "0");
    assert_eq!(super::text_of(&page, "rows-already"), "3");
    assert_eq!(
        app.count("SELECT count(*) AS n FROM usage_lines WHERE record_id LIKE 'ok-%'"),
        3
    );
    // A known record id with other values is refused, not overwritten.
    let changed = csv(&[format!("ok-2,cfo@globex.test,obs.gb-month,{now},4,0.099")]);
    let page = finished(&ops, import_id(&upload(&ops, "c.csv", &changed).await)).await;
    assert_eq!(super::text_of(&page, "rows-rejected"), "1");
    assert_eq!(
        app.count("SELECT (quantity * 10)::bigint AS n FROM usage_lines WHERE record_id = 'ok-2'"),
        30
    );
}

#[tokio::test]
async fn malformed_uploads_rows_and_ids_never_give_a_500() {
    let app = spawn_app().await;
    let ops = app.signed_in("ops@demo.test").await;
    // No file, an empty file: the form again with the message beside the field.
    let empty = upload(&ops, "e.csv", b"").await;
    assert_eq!(empty.status, 422, "{}", empty.body);
    assert!(empty.contains("id=\"e-file\""));
    // A header without the columns: the import fails and says why.
    let res = upload(&ops, "h.csv", b"customer,amount\n1,2\n").await;
    let page = finished(&ops, import_id(&res)).await;
    assert!(page.contains("id=\"import-problem\""), "{}", page.body);
    // Bytes that are not text, rows of the wrong width, a header only.
    for file in [
        vec![0xff, 0xfe, 0x00, 0x01, b'\n', 0xc3, 0x28],
        b"record_id,customer,product,period,quantity,unit_price\nx\n,,,,,,,,\n".to_vec(),
        b"record_id,customer,product,period,quantity,unit_price\n\xff\xfe,1,a,b,c,d\n".to_vec(),
        b"record_id,customer,product,period,quantity,unit_price\n".to_vec(),
    ] {
        let res = upload(&ops, "m.csv", &file).await;
        assert!(res.status == 303 || res.status == 422, "{}", res.status);
        if res.status == 303 {
            let page = finished(&ops, import_id(&res)).await;
            assert_eq!(page.status, 200);
        }
    }
    // A garbled multipart body.
    let token = ops.get("/ops/usage").await.csrf();
    let raw = ops
        .http
        .post(format!("{}/ops/usage?csrf_token={token}", ops.base))
        .header("Content-Type", "multipart/form-data; boundary=x")
        .body("--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc")
        .send()
        .await
        .unwrap();
    assert!(raw.status().as_u16() < 500, "{}", raw.status());
    for path in [
        "/ops/usage/imports/987654",
        "/ops/usage/imports/987654/progress",
        "/ops/usage/imports/987654/rejected.csv",
        "/ops/usage/imports/abc",
        "/ops/usage/imports/-1/progress",
    ] {
        assert_eq!(ops.get(path).await.status, 404, "{path}");
    }
    // Issuing a malformed or open month is refused beside the field.
    for bad in ["2026-13", "", "x", &month(0).label()] {
        let res = ops
            .submit("/ops/usage", "/ops/usage/bills", &[("month", bad)])
            .await;
        assert_eq!(res.status, 422, "{bad}: {}", res.body);
        assert!(res.contains("id=\"e-month\""));
    }
}

#[tokio::test]
async fn only_operators_import_usage_and_issue_bills() {
    let app = spawn_app().await;
    for who in ["admin@northwind.test", "it@acme.test"] {
        let c = app.signed_in(who).await;
        assert_eq!(c.get("/ops/usage").await.status, 403, "{who}");
        let res = c
            .post_raw("/ops/usage/bills", &[("month", "2020-01")])
            .await;
        assert!(
            res.status == 403 || res.status == 400,
            "{who}: {}",
            res.status
        );
    }
    let ops = app.signed_in("ops@demo.test").await;
    let page = ops.get("/ops/usage").await;
    assert_eq!(page.status, 200);
    assert!(page.contains("name=\"file\""));
}
