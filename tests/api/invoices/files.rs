//! Issuing with an e-invoice file (rule B7): an uploaded PDF (anything else is refused beside
//! the field) or a generated text e-invoice, kept in the database and served as an attachment
//! with its own content type to whoever may read the invoice; an issuer's numbers are unique.

use super::{first_invoice, january_bill, request_amount, setup, signed_in};
use crate::support::http::{Client, Page};

const BOUNDARY: &str = "----pc-invoice-boundary";

/// Posts the issue form of `base/{id}` with a number, a date and maybe a file.
pub async fn issue(c: &Client, base: &str, id: i64, number: &str, file: Option<&[u8]>) -> Page {
    let token = c.get(&format!("{base}/{id}")).await.csrf();
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"number\"\r\n\r\n{number}\r\n\
         --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"issued_on\"\r\n\r\n2026-01-05\r\n"
    )
    .into_bytes();
    if let Some(bytes) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"e.pdf\"\r\n\
                 Content-Type: application/pdf\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    let res = c
        .http
        .post(format!("{}{base}/{id}/issue?csrf_token={token}", c.base))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .expect("issue");
    Client::page(res).await
}

#[tokio::test]
async fn an_e_invoice_is_an_uploaded_pdf_or_generated_text_served_as_a_download() {
    let s = setup(false).await;
    january_bill(&s, "1000.00");
    let admin = signed_in(&s.app, "admin@northwind.test").await;
    let base = "/partner/invoices";
    let one = first_invoice(
        &s.app,
        request_amount(&s.client, s.title, "100.00", "electronic").await,
    );
    let two = first_invoice(
        &s.app,
        request_amount(&s.client, s.title, "200.00", "electronic").await,
    );
    let html = issue(&admin, base, one, "NW-1", Some(b"<html>not a pdf</html>")).await;
    assert_eq!(html.status, 422);
    assert!(html.contains("id=\"e-file\"") && html.contains("value=\"NW-1\""));
    assert_eq!(
        issue(&admin, base, one, "NW-1", Some(b"%PDF-1.7\n%test\n"))
            .await
            .status,
        303
    );
    let taken = issue(&admin, base, two, "NW-1", None).await;
    assert_eq!(taken.status, 422, "an issuer's numbers are unique");
    assert_eq!(issue(&admin, base, two, "NW-2", None).await.status, 303);
    let pdf = admin.get(&format!("{base}/{one}/file")).await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert_eq!(
        pdf.headers["content-disposition"],
        "attachment; filename=\"invoice-NW-1.pdf\""
    );
    assert_eq!(pdf.headers["x-content-type-options"], "nosniff");
    let text = s
        .client
        .get(&format!("/fee-center/invoices/files/{two}"))
        .await;
    assert_eq!(text.headers["content-type"], "text/plain; charset=utf-8");
    assert!(text.body.contains("NW-2") && text.body.contains("200.00"));
    let other = signed_in(&s.app, "cfo@globex.test").await;
    assert_eq!(
        other
            .get(&format!("/fee-center/invoices/files/{two}"))
            .await
            .status,
        404
    );
}
