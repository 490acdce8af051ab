//! Offline expansion (rule C7) and invitation reminders.

use crate::invitations::helpers::NEW_PASSWORD;
use crate::support::spawn_app;

fn join_path(page: &str) -> String {
    let start = page.find("/join/").expect("a join link");
    let end = page[start..].find('"').unwrap() + start;
    page[start..end].to_string()
}

/// The confirmation link mailed to `email` after a join, as a path.
pub async fn verify_path(app: &crate::support::TestApp, email: &str) -> String {
    let mail = app.mail.wait_for_to(email, 5).await;
    let link = mail.link("http").expect("a link in the mail");
    let start = link.find("/join/verify/").expect("a confirmation link");
    link[start..].to_string()
}

#[tokio::test]
async fn join_link_registers_and_associates_and_regenerating_voids_the_old_one() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let page = admin.get("/partner/expansion").await;
    assert_eq!(page.status, 200);
    let old = join_path(&page.body);

    let png = admin
        .http
        .get(format!(
            "{}/partner/expansion/qr.png?download=1",
            admin.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(png.headers()["content-type"], "image/png");
    assert!(
        png.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    assert_eq!(&png.bytes().await.unwrap()[1..4], b"PNG");
    let svg = admin.get("/partner/expansion/qr.svg").await;
    assert!(svg.body.contains("<svg"));

    let visitor = app.client();
    let form = visitor.get(&old).await;
    assert_eq!(form.status, 200);
    assert!(form.contains("Northwind Distribution"));
    let res = visitor
        .submit(
            &old,
            &old,
            &[
                ("email", "walkin@example.test"),
                ("company", "Walk-in Co"),
                ("contact_name", "Wally"),
                ("phone", ""),
                ("password", NEW_PASSWORD),
                ("accept_terms", "yes"),
            ],
        )
        .await;
    // The address is proven by mail before the account signs in or is associated.
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.contains("walkin@example.test"));
    let associated = "SELECT count(*) AS n FROM customers c JOIN organizations o ON o.id = c.partner_id WHERE c.email = 'walkin@example.test' AND o.name = 'Northwind Distribution' AND c.association_type = 'resale'";
    assert_eq!(app.count(associated), 0);
    let verify = verify_path(&app, "walkin@example.test").await;
    let res = visitor
        .submit(&verify, &verify, &[("password", NEW_PASSWORD)])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert_eq!(res.location.as_deref(), Some("/fee-center"));
    assert_eq!(app.count(associated), 1);

    let res = admin
        .submit("/partner/expansion", "/partner/expansion/regenerate", &[])
        .await;
    assert_eq!(res.status, 303);
    let new = join_path(&admin.get("/partner/expansion").await.body);
    assert_ne!(new, old);
    let gone = app.client().get(&old).await;
    assert_eq!(gone.status, 410);
    assert!(!gone.contains("name=\"password\""));
    let c = app.client();
    let res = c
        .submit(
            &new,
            &old,
            &[
                ("email", "late@example.test"),
                ("company", "Late"),
                ("contact_name", "L"),
                ("password", NEW_PASSWORD),
                ("accept_terms", "yes"),
            ],
        )
        .await;
    assert_eq!(res.status, 410);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM customers WHERE email = 'late@example.test'"),
        0
    );
    assert_eq!(app.client().get("/join/doesnotexist").await.status, 404);
    assert_eq!(app.client().get(&new).await.status, 200);
}

#[tokio::test]
async fn a_registered_address_cannot_join_through_the_public_page() {
    let app = spawn_app().await;
    let admin = app.signed_in("admin@northwind.test").await;
    let link = join_path(&admin.get("/partner/expansion").await.body);
    let res = app
        .client()
        .submit(
            &link,
            &link,
            &[
                ("email", "hello@umbrella.test"),
                ("company", "U"),
                ("contact_name", "U"),
                ("password", NEW_PASSWORD),
                ("accept_terms", "yes"),
            ],
        )
        .await;
    // The page answers as for a new address (nothing about the account leaks, rule C7);
    // the owner is told by mail, and nothing changes.
    assert_eq!(res.status, 200, "{}", res.body);
    let mail = app.mail.wait_for_to("hello@umbrella.test", 5).await;
    assert!(mail.link("/join/verify/").is_none());
    assert!(mail.text.contains("/login"));
    assert_eq!(app.count("SELECT count(*) AS n FROM customers WHERE email = 'hello@umbrella.test' AND partner_id IS NULL"), 1);
    assert_eq!(
        app.count("SELECT count(*) AS n FROM customers WHERE email = 'hello@umbrella.test'"),
        1
    );
}

fn due_invitation(conn: &mut partner_center::db::Conn, email: &str, lifetime_hours: i64) {
    use diesel::RunQueryDsl;
    diesel::sql_query(format!(
        "INSERT INTO invitations (partner_id, inviter_id, email, association_type, language, token_hash, expires_at, sent_at)
         SELECT o.id, u.id, '{email}', 'resale', 'en', md5('{email}'), now() + interval '20 hours',
                now() + interval '20 hours' - interval '{lifetime_hours} hours'
         FROM organizations o, users u WHERE o.name = 'Northwind Distribution' AND u.email = 'admin@northwind.test'"
    ))
    .execute(conn)
    .unwrap();
}

#[tokio::test]
async fn one_reminder_a_day_before_expiry_only_where_switched_on() {
    use diesel::RunQueryDsl;
    use partner_center::services::invitations::reminders::send_due;
    let app = spawn_app().await;
    let mut conn = app.conn();
    assert_eq!(
        app.count("SELECT count(*) AS n FROM outbox WHERE kind = 'invitation_reminder'"),
        0,
        "the demo data has none due"
    );
    due_invitation(&mut conn, "due@example.test", 7 * 24);
    due_invitation(&mut conn, "short@example.test", 48);
    send_due(&mut conn).unwrap();
    send_due(&mut conn).unwrap();
    let mail = app.mail.wait_for_to("due@example.test", 5).await;
    assert!(mail.subject.contains("Reminder") && mail.text.contains("Northwind Distribution"));
    assert!(!mail.html.is_empty());
    assert_eq!(
        app.count("SELECT count(*) AS n FROM outbox WHERE to_addr = 'due@example.test'"),
        1,
        "once"
    );
    assert_eq!(
        app.count("SELECT count(*) AS n FROM outbox WHERE to_addr = 'short@example.test'"),
        0,
        "48 h lifetimes get none"
    );
    // Switched off: nothing for another due invitation until it is switched on again.
    diesel::sql_query("UPDATE organizations SET invitation_reminders = FALSE WHERE name = 'Northwind Distribution'").execute(&mut conn).unwrap();
    due_invitation(&mut conn, "quiet@example.test", 7 * 24);
    send_due(&mut conn).unwrap();
    assert_eq!(
        app.count("SELECT count(*) AS n FROM outbox WHERE to_addr = 'quiet@example.test'"),
        0
    );
    diesel::sql_query("UPDATE organizations SET invitation_reminders = TRUE WHERE name = 'Northwind Distribution'").execute(&mut conn).unwrap();
    send_due(&mut conn).unwrap();
    assert_eq!(
        app.count("SELECT count(*) AS n FROM outbox WHERE to_addr = 'quiet@example.test'"),
        1
    );
}
