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
