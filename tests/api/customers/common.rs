//! Shared helpers of the customer tests: ids of demo records and small request helpers.
#![allow(dead_code)]

use crate::support::http::Page;
use crate::support::{Client, TestApp};

pub fn customer_id(app: &TestApp, company: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM customers WHERE company = '{}'",
        company.replace('\'', "''")
    ))
}

pub fn user_id(app: &TestApp, email: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM users WHERE email = '{email}'"
    ))
}

/// A new Northwind customer manager, Sam Solo, outside the lead's team.
pub fn outside_manager(app: &TestApp) -> i64 {
    let nw = app.id_of("SELECT id AS n FROM organizations WHERE name = 'Northwind Distribution'");
    app.id_of(&format!(
        "INSERT INTO users (email, audience, password_hash, display_name, org_id, role) \
         VALUES ('solo@northwind.test', 'partner', 'x', 'Sam Solo', {nw}, 'manager') RETURNING id AS n"
    ))
}

/// Submits the assignment form of `/partner/assignments` with `fields`.
pub async fn assign(c: &Client, fields: &[(&str, &str)]) -> Page {
    c.submit("/partner/assignments", "/partner/assignments", fields)
        .await
}

pub fn audit_count(app: &TestApp, action: &str) -> i64 {
    app.count(&format!(
        "SELECT count(*) AS n FROM audit_log WHERE action = '{action}'"
    ))
}

/// Posts a form with the CSRF token of `form_page` and an `Accept: application/json` header.
pub async fn post_json(
    c: &Client,
    form_page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let token = c.get(form_page).await.csrf();
    let res = c
        .http
        .post(format!("{}{action}", c.base))
        .header("Accept", "application/json")
        .header("X-CSRF-Token", token)
        .form(fields)
        .send()
        .await
        .expect("POST");
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}
