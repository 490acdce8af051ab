//! Invoicing (rules B3–B7, K7): titles, invoiceable items, requests matched to an amount or
//! picked, one invoice per signing entity and tax rate, processing by the partner or the
//! platform, and who sees what. The set-up writes customers, products, bills and titles
//! straight into the seeded database (bills through `bill_lines`, so the migration's trigger
//! makes their items as issuing does) and drives the pages over HTTP.

mod access;
mod files;
mod forms;
mod items;
mod orders;
mod pages;
mod processing;
mod requests;
mod search;
mod titles;

use diesel::prelude::*;

use crate::support::http::{Client, Page, csrf_in, form_key};
use crate::support::{TestApp, spawn_app};

pub const ENTITY_A: &str = "Entity A Co., Ltd.";
pub const ENTITY_B: &str = "Entity B Co., Ltd.";

pub fn exec(app: &TestApp, sql: &str) {
    diesel::sql_query(sql)
        .execute(&mut app.conn())
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

pub fn org(app: &TestApp, name: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM organizations WHERE name = '{name}'"
    ))
}

pub fn user(app: &TestApp, email: &str) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM users WHERE email = '{email}'"
    ))
}

/// A customer signing in as `email` with the demo password, verified, of Northwind (resale,
/// managed by mgr1) unless `advisory`.
pub fn customer(app: &TestApp, email: &str, advisory: bool) -> i64 {
    let nw = org(app, "Northwind Distribution");
    let mgr1 = user(app, "mgr1@northwind.test");
    let kind = if advisory { "advisory" } else { "resale" };
    let id = app.id_of(&format!(
        "INSERT INTO customers (company, email, signing_entity, partner_id, association_type,
                                manager_id, verification)
         VALUES ('Co {email}', '{email}', '{ENTITY_A}', {nw}, '{kind}', {mgr1}, 'verified')
         RETURNING id AS n"
    ));
    exec(
        app,
        &format!(
            "INSERT INTO users (email, audience, password_hash, display_name, customer_id, language)
             SELECT '{email}', 'customer', password_hash, 'Buyer', {id}, 'en'
             FROM users WHERE email = 'it@acme.test'"
        ),
    );
    id
}

/// Two products, at 6% and 13%.
pub fn products(app: &TestApp) -> (i64, i64) {
    let one = |code: &str, rate: i16| {
        app.id_of(&format!(
            "INSERT INTO products (code, name_en, name_zh, service_code, monthly_price, tax_rate)
             VALUES ('{code}', '{code}', '{code}', 'ECS', 1, {rate}) RETURNING id AS n"
        ))
    };
    (one("inv-six", 6), one("inv-thirteen", 13))
}

/// The set-up customer's bill of January 2025 from entity A: one 6% line of `charged`, no
/// voucher (`bill`). Returns its id.
pub fn january_bill(s: &Setup, charged: &str) -> i64 {
    bill(
        &s.app,
        s.customer,
        "2025-01",
        ENTITY_A,
        &[(s.p6, charged)],
        "0",
    )
}

/// An issued, paid bill of `month` (`2025-01`) with one line per `(product, charged)`;
/// `voucher` of it paid by vouchers. Resale of Northwind unless `platform`.
pub fn bill(
    app: &TestApp,
    customer: i64,
    month: &str,
    entity: &str,
    lines: &[(i64, &str)],
    voucher: &str,
) -> i64 {
    let total: rust_decimal::Decimal = lines
        .iter()
        .map(|l| l.1.parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    let (partner, kind): (Option<i64>, Option<String>) = {
        use partner_center::db::schema::customers as c;
        c::table
            .find(customer)
            .select((c::partner_id, c::association_type))
            .first(&mut app.conn())
            .unwrap()
    };
    let partner = partner.map_or("NULL".into(), |p| p.to_string());
    let kind = kind.map_or("NULL".into(), |k| format!("'{k}'"));
    let id = app.id_of(&format!(
        "INSERT INTO bills (customer_id, period, amount, partner_id, association_type,
                            signing_entity, subtotal, voucher_deduction, from_balance, issued_at,
                            paid_at)
         VALUES ({customer}, '{month}-01', {total}, {partner}, {kind}, '{entity}', {total},
                 {voucher}, {total} - {voucher}, now(), now())
         RETURNING id AS n"
    ));
    let values: Vec<String> = lines
        .iter()
        .map(|(p, c)| format!("({id}, {p}, 1, {c}, {c}, {c}, {c}, 0)"))
        .collect();
    exec(
        app,
        &format!(
            "INSERT INTO bill_lines (bill_id, product_id, quantity, unit_price, list_amount, amount,
                                     charged, cut_off) VALUES {}",
            values.join(", ")
        ),
    );
    id
}

/// A title of the customer (enterprise, VAT normal, with a postal address), its default.
pub fn title(app: &TestApp, customer: i64) -> i64 {
    app.id_of(&format!(
        "INSERT INTO invoice_titles (customer_id, title_type, invoice_kind, name, postal_recipient,
                                     postal_phone, postal_address, is_default)
         VALUES ({customer}, 'enterprise', 'vat_normal', 'Buyer Ltd', 'Bea', '13800000000',
                 '1 Road, Shanghai', TRUE)
         RETURNING id AS n"
    ))
}

/// The customer's free items as `(kind, rate, amount)` in match order.
pub fn free_items(app: &TestApp, customer: i64) -> Vec<(String, i16, String)> {
    use partner_center::db::schema::invoice_items as i;
    let rows: Vec<(String, i16, rust_decimal::Decimal)> = i::table
        .filter(i::customer_id.eq(customer))
        .filter(i::invoice_id.is_null())
        .order((i::rank, i::occurred_at, i::id))
        .select((i::kind, i::tax_rate, i::amount))
        .load(&mut app.conn())
        .unwrap();
    rows.into_iter()
        .map(|(k, r, a)| (k, r, a.to_string()))
        .collect()
}

/// Item ids of a bill, by tax rate.
pub fn item_of(app: &TestApp, bill: i64, rate: i16) -> i64 {
    app.id_of(&format!(
        "SELECT id AS n FROM invoice_items WHERE bill_id = {bill} AND tax_rate = {rate}
         ORDER BY id LIMIT 1"
    ))
}

/// The request's invoices as `(entity, rate, amount, state)`.
pub fn invoices_of(app: &TestApp, request: i64) -> Vec<(String, i16, String, String)> {
    use partner_center::db::schema::invoices as inv;
    let rows: Vec<(String, i16, rust_decimal::Decimal, String)> = inv::table
        .filter(inv::request_id.eq(request))
        .order(inv::id)
        .select((inv::signing_entity, inv::tax_rate, inv::amount, inv::state))
        .load(&mut app.conn())
        .unwrap();
    rows.into_iter()
        .map(|(e, r, a, s)| (e, r, a.to_string(), s))
        .collect()
}

pub fn first_invoice(app: &TestApp, request: i64) -> i64 {
    app.id_of(&format!(
        "SELECT min(id) AS n FROM invoices WHERE request_id = {request}"
    ))
}

/// Posts the request form to the preview: `fields` besides the CSRF token.
pub async fn preview(c: &Client, fields: &[(&str, &str)]) -> Page {
    c.submit(
        "/fee-center/invoices/new",
        "/fee-center/invoices/preview",
        fields,
    )
    .await
}

/// Confirms a preview page: its hidden fields posted back as they are.
pub async fn confirm(c: &Client, preview: &Page) -> Page {
    let form = &preview.body[preview
        .body
        .find("id=\"confirm-form\"")
        .expect("confirm form")..];
    let form = &form[..form.find("</form>").unwrap()];
    let mut fields: Vec<(String, String)> = Vec::new();
    for input in form.split("<input").skip(1) {
        let attr = |name: &str| {
            let marker = format!("{name}=\"");
            input.find(&marker).map(|at| {
                let rest = &input[at + marker.len()..];
                rest[..rest.find('"').unwrap()].replace("&#x2d;", "-")
            })
        };
        if let (Some(n), Some(v)) = (attr("name"), attr("value")) {
            fields.push((n, v));
        }
    }
    assert!(csrf_in(form).is_some() && !form_key(form).is_empty());
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    c.post_raw("/fee-center/invoices", &pairs).await
}

/// Asks for `amount` from the customer's own issuer and confirms the match; the request id.
pub async fn request_amount(c: &Client, title: i64, amount: &str, medium: &str) -> i64 {
    let t = title.to_string();
    let p = preview(
        c,
        &[
            ("title_id", &t),
            ("medium", medium),
            ("mode", "amount"),
            ("amount", amount),
        ],
    )
    .await;
    assert_eq!(p.status, 200, "{}", p.body);
    let done = confirm(c, &p).await;
    assert_eq!(done.status, 303, "{}", done.body);
    request_in(&done)
}

/// The request id a confirmation redirected to.
pub fn request_in(done: &Page) -> i64 {
    let to = done.location.as_deref().expect("redirect");
    to.rsplit('/').next().unwrap().parse().expect("request id")
}

/// Signed in as `email`, reading English pages.
pub async fn signed_in(app: &TestApp, email: &str) -> Client {
    let c = app.signed_in(email).await;
    let home = c.get("/login").await.location.expect("home");
    let res = c
        .submit(&home, "/language", &[("lang", "en"), ("back", "/")])
        .await;
    assert_eq!(res.status, 303);
    c
}

/// A fresh app with one resale customer of Northwind (signed in), its products and title.
pub struct Setup {
    pub app: TestApp,
    pub customer: i64,
    pub client: Client,
    pub p6: i64,
    pub p13: i64,
    pub title: i64,
}

pub async fn setup(advisory: bool) -> Setup {
    let app = spawn_app().await;
    let customer = customer(&app, "buyer@invoice.test", advisory);
    let (p6, p13) = products(&app);
    let title = title(&app, customer);
    let client = signed_in(&app, "buyer@invoice.test").await;
    Setup {
        app,
        customer,
        client,
        p6,
        p13,
        title,
    }
}
