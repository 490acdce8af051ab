//! Usage, monthly bills and their pages (rules B1, B2, C2, C5, K7; SPEC §6 "Cents",
//! "Attribution", "Settlement", "CSV files"). The demo data bills every demo customer up to last
//! month, so tests bill customers of their own, made with the history they need.

mod access;
mod import;
mod pages;
mod rating;
mod settlement;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use partner_center::db::schema::{associations, customers, manager_assignments};
use partner_center::domain::Caller;
use partner_center::ledger::{self, AccountKind};
use partner_center::services::billing::{Month, issue, usage};

use crate::support::TestApp;
use crate::support::http::{Client, Page};

pub fn org_id(app: &TestApp, name: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM organizations WHERE name = '{name}'"
    ))
}

pub fn user_id(app: &TestApp, email: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM users WHERE email = '{email}'"
    ))
}

/// `months_ago` months before this billing month.
pub fn month(months_ago: u32) -> Month {
    (0..months_ago).fold(Month::at(Utc::now()), |m, _| m.previous())
}

/// A partner's stretch of a new customer: (partner, association type, from, to).
pub type Held = (i64, &'static str, DateTime<Utc>, Option<DateTime<Utc>>);

/// A manager's stretch: (partner, manager, from, to).
pub type Managed = (i64, i64, DateTime<Utc>, Option<DateTime<Utc>>);

/// A new customer registered two years ago, with these associations and manager assignments
/// `(partner, manager, from, to)`, and its balance and credit accounts; its current partner and
/// manager are the open ones.
pub fn customer_with(app: &TestApp, company: &str, held: &[Held], managed: &[Managed]) -> i64 {
    let mut conn = app.conn();
    let open = held.iter().find(|h| h.3.is_none());
    let manager = managed.iter().find(|m| m.3.is_none()).map(|m| m.1);
    let slug: String = company
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let id: i64 = diesel::insert_into(customers::table)
        .values((
            customers::company.eq(company),
            customers::contact_name.eq("Test Contact"),
            customers::email.eq(format!("billing@{slug}.test")),
            customers::signing_entity.eq(partner_center::seed::ENTITY_CN),
            customers::partner_id.eq(open.map(|h| h.0)),
            customers::association_type.eq(open.map(|h| h.1)),
            customers::associated_at.eq(open.map(|h| h.2)),
            customers::manager_id.eq(manager),
            customers::registered_at.eq(Utc::now() - chrono::Duration::days(730)),
        ))
        .returning(customers::id)
        .get_result(&mut conn)
        .expect("customer");
    for (partner, kind, from, to) in held {
        diesel::insert_into(associations::table)
            .values((
                associations::customer_id.eq(id),
                associations::partner_id.eq(partner),
                associations::association_type.eq(kind),
                associations::started_at.eq(from),
                associations::ended_at.eq(to),
            ))
            .execute(&mut conn)
            .expect("association");
    }
    for (partner, manager, from, to) in managed {
        diesel::insert_into(manager_assignments::table)
            .values((
                manager_assignments::customer_id.eq(id),
                manager_assignments::partner_id.eq(partner),
                manager_assignments::manager_id.eq(Some(manager)),
                manager_assignments::from_at.eq(from),
                manager_assignments::to_at.eq(to),
            ))
            .execute(&mut conn)
            .expect("assignment");
    }
    ledger::accounts::for_customer(&mut conn, id, AccountKind::CustomerBalance).expect("balance");
    ledger::accounts::for_customer(&mut conn, id, AccountKind::CustomerCredit).expect("credit");
    id
}

/// A usage file: the header and these rows.
pub fn csv(rows: &[String]) -> Vec<u8> {
    let mut text = String::from("record_id,customer,product,period,quantity,unit_price\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    text.into_bytes()
}

/// Imports a file as the command line does; the finished import.
pub fn import(app: &TestApp, file: &[u8]) -> usage::ImportStatus {
    let mut conn = app.conn();
    let caller = Caller::system("test");
    let id = usage::create(&mut conn, &caller, "t.csv", file.len() as i64).expect("import");
    usage::run(&mut conn, &caller, id, file, || 0).expect("run")
}

/// Issues a month's bills as the system; what it did.
pub fn issue(app: &TestApp, month: Month) -> issue::Issued {
    issue::issue_month(&mut app.conn(), &Caller::system("test"), month).expect("issue")
}

/// The id of a customer's bill of `month`.
pub fn bill_of(app: &TestApp, customer: i64, month: Month) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM bills WHERE customer_id = {customer} AND period = '{}' \
         AND issued_at IS NOT NULL",
        month.first_day()
    ))
}

const BOUNDARY: &str = "----pc-usage-boundary";

/// Posts a usage file to `/ops/usage` as the signed-in operator.
pub async fn upload(c: &Client, name: &str, file: &[u8]) -> Page {
    let token = c.get("/ops/usage").await.csrf();
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let res = c
        .http
        .post(format!("{}/ops/usage?csrf_token={token}", c.base))
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

/// Waits for an uploaded import to finish; its page.
pub async fn finished(c: &Client, id: i64) -> Page {
    for _ in 0..200 {
        let p = c.get(&format!("/ops/usage/imports/{id}/progress")).await;
        assert_eq!(p.status, 200, "{}", p.body);
        if p.contains("\"running\":false") {
            return c.get(&format!("/ops/usage/imports/{id}")).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("import {id} did not finish");
}

/// The text of the element with this id.
pub fn text_of(page: &Page, id: &str) -> String {
    let at = page
        .body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("{id} in {}", page.body));
    let rest = &page.body[at..];
    let start = rest.find('>').unwrap() + 1;
    let end = rest[start..].find('<').unwrap() + start;
    rest[start..end].trim().to_string()
}
