//! Rule X2: mail through the outbox, delivered over real SMTP with retries.

use crate::support::{MailServer, Options, spawn_app, spawn_app_with};

#[tokio::test]
async fn a_test_message_arrives_multipart_over_smtp() {
    let app = spawn_app().await;
    let op = app.signed_in("ops@demo.test").await;
    let res = op.submit("/ops/outbox", "/ops/outbox/test", &[]).await;
    assert_eq!(res.status, 303);
    let started = std::time::Instant::now();
    let mail = app.mail.wait_for_to("ops@demo.test", 5).await;
    assert!(
        started.elapsed().as_secs_f64() < 2.5,
        "picked up promptly (SPEC §5)"
    );
    assert!(!mail.text.is_empty() && !mail.html.is_empty(), "both parts");
    assert!(mail.html.contains("<html"));
    let raw = String::from_utf8_lossy(&mail.raw);
    assert!(raw.contains("multipart/alternative"));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        app.count("SELECT count(*) AS n FROM outbox WHERE state = 'sent'"),
        1
    );
    let list = op.get("/ops/outbox").await;
    assert!(list.contains("ops@demo.test"));
}

#[tokio::test]
async fn mail_queued_while_the_smtp_server_is_down_is_delivered_after_it_returns() {
    let port = MailServer::free_port().await;
    let app = spawn_app_with(Options {
        smtp_port: Some(port),
        ..Options::default()
    })
    .await;
    let op = app.signed_in("ops@demo.test").await;
    op.submit("/ops/outbox", "/ops/outbox/test", &[]).await;
    // Wait for at least one failed attempt.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app
        .count("SELECT count(*) AS n FROM outbox WHERE attempts >= 1 AND last_error IS NOT NULL")
        == 0
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no failed attempt recorded"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        app.count("SELECT count(*) AS n FROM outbox WHERE state = 'pending'"),
        1,
        "kept for retry, not lost"
    );
    app.mail.start_listening().await;
    let mail = app.mail.wait_for_to("ops@demo.test", 15).await;
    assert!(!mail.subject.is_empty());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        app.count("SELECT count(*) AS n FROM outbox WHERE state = 'sent' AND attempts >= 2"),
        1
    );
}

#[tokio::test]
async fn without_smtp_mail_is_written_as_eml_files() {
    let dir = std::env::temp_dir().join(format!("pc-mail-{}", uuid::Uuid::new_v4().simple()));
    let app = spawn_app_with(
        Options::default()
            .env("PC_SMTP_URL", "")
            .env("PC_MAIL_DIR", dir.to_string_lossy().to_string()),
    )
    .await;
    let op = app.signed_in("ops@demo.test").await;
    op.submit("/ops/outbox", "/ops/outbox/test", &[]).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().collect())
            .unwrap_or_default();
        if let Some(f) = files.first() {
            let text = std::fs::read_to_string(f.path()).unwrap();
            assert!(text.contains("To: ops@demo.test"));
            break;
        }
        assert!(std::time::Instant::now() < deadline, "no .eml file written");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn two_workers_on_one_database_deliver_each_message_once() {
    use crate::support::db::{Connections, connections_of_app};
    use partner_center::mail::{RenderedMail, outbox};
    // The second instance's connections (its database is the first one's): declared before
    // the app, so they are given back only after its database is dropped.
    let _second_instance =
        tokio::task::spawn_blocking(|| Connections::reserve(connections_of_app(3) - 1))
            .await
            .unwrap();
    let app = spawn_app().await;
    // A second instance against the same database and SMTP server.
    let second = partner_center::config::Settings::from_lookup(|k| match k {
        "DATABASE_URL" => Some(app.db.url.clone()),
        "PC_LISTEN" => Some("127.0.0.1:0".into()),
        "PC_SMTP_URL" => Some(format!("smtp://127.0.0.1:{}", app.mail.port)),
        "PC_DEMO_DATA" => Some("false".into()),
        "PC_DB_POOL" => Some("3".into()),
        "PC_WORKERS" => Some("1".into()),
        _ => None,
    })
    .unwrap();
    let other = partner_center::startup::Application::build(second)
        .await
        .unwrap();
    tokio::spawn(other.run_until_stopped());
    {
        let mut conn = app.conn();
        let mail = RenderedMail {
            subject: "s".into(),
            text: "t".into(),
            html: "<p>h</p>".into(),
        };
        for i in 0..40 {
            outbox::enqueue(&mut conn, "test", &format!("r{i}@x.test"), &mail).unwrap();
        }
    }
    let got = app.mail.wait_for(40, 20).await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let got_after = app.mail.messages();
    assert_eq!(
        got_after.len(),
        40,
        "no duplicates: {} then {}",
        got.len(),
        got_after.len()
    );
}
