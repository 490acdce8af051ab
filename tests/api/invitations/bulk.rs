//! Bulk invitations from CSV (rule C3): per-row preview, then sending through the outbox.

use std::time::{Duration, Instant};

use crate::support::http::{Client, Page};
use crate::support::spawn_app;

async fn upload(c: &Client, csv: &str) -> Page {
    let token = c.get("/partner/invitations/bulk").await.csrf();
    let boundary = "----pc-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\nen\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"invites.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let res = c
        .http
        .post(format!(
            "{}/partner/invitations/bulk/preview?csrf_token={token}",
            c.base
        ))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    Client::page(res).await
}

fn hidden_csv(page: &Page) -> String {
    let marker = "name=\"csv\" value=\"";
    let start = page.body.find(marker).unwrap() + marker.len();
    let end = page.body[start..].find('"').unwrap() + start;
    page.body[start..end]
        .replace("&#10;", "\n")
        .replace("&#13;", "\r")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
}

#[tokio::test]
async fn every_row_gets_its_result_before_sending_and_a_report_after() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let csv = "email,company,type\n\
               one@bulk.test,One Co,resale\n\
               two@bulk.test,Two Co,advisory\n\
               one@bulk.test,One Again,resale\n\
               buyer@harbor-freight.test,Harbor,resale\n\
               it@acme.test,Acme,resale\n\
               not an address,Bad,resale\n\
               three@bulk.test,Three,wholesale\n";
    let preview = upload(&admin, csv).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    for class in [
        "bulk-valid",
        "bulk-duplicate",
        "bulk-already_invited",
        "bulk-already_customer",
        "bulk-bad_address",
        "bulk-bad_type",
    ] {
        assert!(preview.contains(class), "{class}");
    }
    assert_eq!(preview.body.matches("class=\"bulk-valid\"").count(), 2);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email LIKE '%@bulk.test'"),
        0
    );
    let rows = hidden_csv(&preview);
    let token = preview.csrf();
    let report = admin
        .post_raw(
            "/partner/invitations/bulk/send",
            &[("csrf_token", &token), ("csv", &rows), ("language", "en")],
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.body);
    assert_eq!(report.body.matches("class=\"bulk-sent\"").count(), 2);
    assert!(report.contains("bulk-duplicate") && report.contains("bulk-bad_address"));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email LIKE '%@bulk.test'"),
        2
    );
    let mail = app.mail.wait_for_to("two@bulk.test", 5).await;
    assert!(mail.text.contains("/invitations/") && mail.text.contains("Advisory"));
    // Sending the same rows again sends nothing new: they are already invited.
    admin
        .post_raw(
            "/partner/invitations/bulk/send",
            &[("csrf_token", &token), ("csv", &rows), ("language", "en")],
        )
        .await;
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email LIKE '%@bulk.test'"),
        2
    );
}

#[tokio::test]
async fn a_thousand_rows_preview_in_under_two_seconds_and_send_through_the_outbox() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let mut csv = String::from("email,company,type\n");
    for i in 0..1000 {
        csv.push_str(&format!(
            "p{i}@thousand.test,Company {i},{}\n",
            if i % 2 == 0 { "resale" } else { "advisory" }
        ));
    }
    let started = Instant::now();
    let preview = upload(&admin, &csv).await;
    let preview_took = started.elapsed();
    assert_eq!(preview.status, 200);
    assert_eq!(preview.body.matches("class=\"bulk-valid\"").count(), 1000);
    assert!(
        preview_took < Duration::from_secs(2),
        "preview took {preview_took:?}"
    );

    let rows = hidden_csv(&preview);
    let started = Instant::now();
    let report = admin
        .post_raw(
            "/partner/invitations/bulk/send",
            &[
                ("csrf_token", &preview.csrf()),
                ("csv", &rows),
                ("language", "en"),
            ],
        )
        .await;
    let took = started.elapsed();
    assert_eq!(report.status, 200);
    assert!(took < Duration::from_secs(5), "send took {took:?}");
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email LIKE '%@thousand.test'"),
        1000
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM outbox WHERE to_addr LIKE '%@thousand.test'"),
        1000
    );
    // Delivery happens afterwards, in the mail worker.
    app.mail.wait_for_to("p0@thousand.test", 10).await;
    eprintln!("1,000-row preview took {preview_took:?}, send took {took:?}");
}

#[tokio::test]
async fn files_over_a_thousand_rows_or_empty_are_refused_whole() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let mut csv = String::new();
    for i in 0..1001 {
        csv.push_str(&format!("x{i}@too-many.test,,\n"));
    }
    let res = upload(&admin, &csv).await;
    assert_eq!(res.status, 422);
    assert!(res.contains("e-file"));
    let res = upload(&admin, "email,company,type\n").await;
    assert_eq!(res.status, 422);
    let res = upload(&admin, "\u{0}\u{ff}\u{fe}garbage").await;
    assert_ne!(res.status, 500);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email LIKE '%@too-many.test'"),
        0
    );
}

const BOUNDARY: &str = "----pc-test-boundary";

/// A multipart body of these parts, each a plain field unless it is named `file`.
fn multipart(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, content) in parts {
        let disposition = if *name == "file" {
            "form-data; name=\"file\"; filename=\"invites.csv\"\r\nContent-Type: text/csv"
                .to_string()
        } else {
            format!("form-data; name=\"{name}\"")
        };
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload_raw(c: &Client, body: Vec<u8>) -> Page {
    let token = c.get("/partner/invitations/bulk").await.csrf();
    let res = c
        .http
        .post(format!(
            "{}/partner/invitations/bulk/preview?csrf_token={token}",
            c.base
        ))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("Accept-Language", "en")
        .body(body)
        .send()
        .await
        .expect("an answer, not a reset connection");
    Client::page(res).await
}

fn small_csv() -> Vec<u8> {
    b"email,company,type\nlimits@bulk.test,Limits Co,resale\n".to_vec()
}

// Rule C3's upload, within limits set next to its route (SPEC §4: no input produces a 500).
#[tokio::test]
async fn an_upload_with_too_many_parts_is_refused_with_400() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let mut parts: Vec<(&str, Vec<u8>)> = vec![("language", b"en".to_vec())];
    parts.extend((0..200).map(|_| ("note", b"x".to_vec())));
    parts.push(("file", small_csv()));
    let res = upload_raw(&admin, multipart(&parts)).await;
    assert_eq!(res.status, 400, "{}", res.body);
    assert!(res.contains("too many parts"), "{}", res.body);
    assert!(
        res.contains("type=\"file\""),
        "the form is there to try again"
    );
    // The same upload with only its two parts is read as usual.
    let ok = upload_raw(
        &admin,
        multipart(&[("language", b"en".to_vec()), ("file", small_csv())]),
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert!(ok.contains("limits@bulk.test"));
}

#[tokio::test]
async fn an_upload_over_its_total_size_is_refused_with_413() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    // Five parts under the per-part limit, 2.5 MiB together.
    let mut parts: Vec<(&str, Vec<u8>)> = vec![("language", b"en".to_vec())];
    parts.extend((0..5).map(|_| ("note", vec![b'x'; 500 * 1024])));
    parts.push(("file", small_csv()));
    let started = Instant::now();
    let res = upload_raw(&admin, multipart(&parts)).await;
    assert_eq!(res.status, 413, "{}", res.body);
    assert!(res.contains("too large"), "{}", res.body);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(
        app.count("SELECT count(*) AS n FROM invitations WHERE email = 'limits@bulk.test'"),
        0
    );
}

#[tokio::test]
async fn a_streamed_upload_without_a_length_is_cut_off_at_its_total_size() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app().await;
    let c = app.client();
    let signed_in = c
        .sign_in("admin@northwind.test", crate::support::PASSWORD)
        .await;
    let cookie = c
        .cookie_header("pc_session", &signed_in)
        .expect("a session cookie");
    let cookie = cookie.split(';').next().unwrap().to_string();
    let token = c.get("/partner/invitations/bulk").await.csrf();
    let mut parts: Vec<(&str, Vec<u8>)> = vec![("language", b"en".to_vec())];
    parts.extend((0..7).map(|_| ("note", vec![b'x'; 500 * 1024])));
    parts.push(("file", small_csv()));
    let body = multipart(&parts);
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", app.port))
        .await
        .unwrap();
    let head = format!(
        "POST /partner/invitations/bulk/preview?csrf_token={token} HTTP/1.1\r\n\
         Host: 127.0.0.1\r\nCookie: {cookie}\r\nAccept-Language: en\r\n\
         Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    // Send in chunks while the server may already have answered; stop when it closes.
    for chunk in body.chunks(64 * 1024) {
        let framed = [
            format!("{:x}\r\n", chunk.len()).as_bytes(),
            chunk,
            b"\r\n".as_slice(),
        ]
        .concat();
        if stream.write_all(&framed).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server answers, it does not hang");
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "{}",
        answer.chars().take(300).collect::<String>()
    );
}
