//! Shared steps of the invitation tests: invite through the form, read the link from the
//! captured mail, register through the link.

use crate::support::http::{Client, Page};
use crate::support::{TestApp, smtp::Captured};

pub const NEW_PASSWORD: &str = "Fresh-Start-2026";

pub async fn invite(c: &Client, email: &str, kind: &str, language: &str) -> Page {
    c.submit(
        "/partner/invitations/new",
        "/partner/invitations",
        &[
            ("email", email),
            ("company", "Newco Ltd"),
            ("association_type", kind),
            ("language", language),
        ],
    )
    .await
}

/// The `/invitations/{token}` path of the link in the mail's text part.
pub fn link_path(mail: &Captured) -> String {
    let start = mail.text.find("/invitations/").expect("a link in the mail");
    let rest = &mail.text[start..];
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    rest[..end].to_string()
}

/// Invites `email` as Northwind's admin and returns the link path from the mail.
pub async fn invited_link(app: &TestApp, email: &str, kind: &str) -> String {
    let admin = app.signed_in("admin@northwind.test").await;
    let res = invite(&admin, email, kind, "en").await;
    assert_eq!(res.status, 303, "{}", res.body);
    link_path(&app.mail.wait_for_to(email, 5).await)
}

pub async fn register(c: &Client, path: &str) -> Page {
    c.submit(
        path,
        &format!("{path}/register"),
        &[
            ("company", "Newco Ltd"),
            ("contact_name", "Nina New"),
            ("phone", "13812341234"),
            ("password", NEW_PASSWORD),
            ("accept_terms", "yes"),
        ],
    )
    .await
}

pub fn customers_with(app: &TestApp, email: &str) -> i64 {
    app.count(&format!(
        "SELECT count(*) AS n FROM customers WHERE lower(email) = lower('{email}')"
    ))
}

/// Signs in on the landing page at `path` and confirms (`fields`: email, and password).
pub async fn confirm(c: &Client, path: &str, fields: &[(&str, &str)]) -> Page {
    c.submit(path, &format!("{path}/confirm"), fields).await
}

pub async fn pre_register(c: &Client, email: &str) -> Page {
    c.submit(
        "/partner/invitations/pre-registrations",
        "/partner/invitations/pre-registrations",
        &[("email", email)],
    )
    .await
}

/// `/partner/invitations/{id}/{action}` (resend, revoke, reveal) from the list.
pub async fn act_on(c: &Client, id: i64, action: &str) -> Page {
    c.submit(
        "/partner/invitations",
        &format!("/partner/invitations/{id}/{action}"),
        &[],
    )
    .await
}

pub fn invitation_id(app: &TestApp, email: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM invitations WHERE email = '{email}'"
    ))
}

/// `visitors` anonymous visitors each load `path`, then all post `fields` to `{path}/{action}`
/// at the same moment. None gets a server error; returns how many were redirected (accepted).
pub async fn post_at_once(
    app: &TestApp,
    path: &str,
    action: &str,
    fields: &[(&str, &str)],
    visitors: usize,
) -> usize {
    let fields: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut tasks = Vec::new();
    for _ in 0..visitors {
        let c = app.client();
        let token = c.get(path).await.csrf();
        let (action, fields) = (format!("{path}/{action}"), fields.clone());
        tasks.push(tokio::spawn(async move {
            let mut all = vec![("csrf_token", token.as_str())];
            all.extend(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            c.post_raw(&action, &all).await.status
        }));
    }
    let mut accepted = 0;
    for t in tasks {
        let status = t.await.unwrap();
        assert_ne!(status, 500);
        accepted += usize::from(status == 303);
    }
    accepted
}

/// Opening the link at `path` shows the `class` problem page with `status`, and registering
/// through it shows the same page.
pub async fn assert_link_refused(app: &TestApp, path: &str, status: u16, class: &str) {
    let problem = format!("problem-{class}");
    let page = app.client().get(path).await;
    assert_eq!(page.status, status, "{class}");
    assert!(page.contains(&problem), "{class}");
    let res = register(&app.client(), path).await;
    assert!(res.contains(&problem), "{class} on register");
}
