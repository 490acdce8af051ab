//! Demo invoicing (rules B3–B7), after the demo bills: invoice titles for Acme (an enterprise
//! taking VAT special invoices, with a postal address) and Globex (an enterprise taking VAT
//! normal invoices), and requests in every state through the same services the pages use —
//! Acme's to Northwind (resale): pending, an issued e-invoice, a mailed paper invoice, a
//! rejected and a returned one; Globex's to the platform (advisory): an issued e-invoice and a
//! pending one. Umbrella gets nothing. Demo data sends no mail: the requests' mails are
//! dropped from the outbox.

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::Demo;
use crate::db::schema::{outbox, users};
use crate::domain::{Caller, CustomerId, MemberOf, OrgId, OrgKind, Party, Role, UserId};
use crate::services::invoices::Medium;
use crate::services::invoices::process::{self, IssueInput};
use crate::services::invoices::request::{self, Mode, RequestInput};
use crate::services::invoices::titles::{self, TitleFields};
use crate::services::{Refusal, ServiceError};

const URL: &str = "http://127.0.0.1:8080";

fn customer(conn: &mut PgConnection, email: &str) -> anyhow::Result<Caller> {
    let (user, customer): (i64, Option<i64>) = users::table
        .filter(users::email.eq(email))
        .select((users::id, users::customer_id))
        .first(conn)?;
    let customer = customer.ok_or_else(|| anyhow::anyhow!("{email} is no customer"))?;
    Ok(super::seed_actor().as_party(
        Party::Customer {
            user_id: UserId(user),
            customer_id: CustomerId(customer),
        },
        email,
    ))
}

fn title(conn: &mut PgConnection, who: &Caller, f: TitleFields) -> anyhow::Result<i64> {
    let input = titles::validate(&f).map_err(|p| anyhow::anyhow!("demo title: {p:?}"))?;
    titles::create(conn, who, &input).map_err(|e| anyhow::anyhow!("demo title: {e}"))
}

/// A request for `amount` to the customer's own issuer; `None` when there is not that much to
/// invoice (the demo months vary with the day it is loaded).
fn ask(
    conn: &mut PgConnection,
    who: &Caller,
    title_id: i64,
    medium: Medium,
    amount: i64,
    n: usize,
) -> anyhow::Result<Option<(i64, Vec<i64>)>> {
    let input = RequestInput {
        issuer: None,
        title_id,
        medium,
        mode: Mode::Amount(Decimal::from(amount)),
    };
    let seen = match request::preview(conn, who, &input) {
        Ok(p) => p.fingerprint,
        Err(ServiceError::Refused(Refusal::Billing(_))) => return Ok(None),
        Err(e) => anyhow::bail!("demo invoice request: {e}"),
    };
    let key = format!("demo-invoice-request-{}-{n}", who.email);
    let done = request::submit(conn, who, &input, &seen, &key, URL)
        .map_err(|e| anyhow::anyhow!("demo invoice request: {e}"))?;
    use crate::db::schema::invoices;
    let ids = invoices::table
        .filter(invoices::request_id.eq(done.request_id))
        .order(invoices::id)
        .select(invoices::id)
        .load(conn)?;
    Ok(Some((done.request_id, ids)))
}

fn issue(conn: &mut PgConnection, by: &Caller, invoice: i64, number: &str) -> anyhow::Result<()> {
    let input = IssueInput {
        number: number.to_string(),
        issued_on: crate::services::invoices::items::today(),
        file: None,
    };
    process::issue(conn, by, invoice, &input, URL).map_err(|e| anyhow::anyhow!("demo issue: {e}"))
}

pub fn load(conn: &mut PgConnection, demo: &Demo) -> anyhow::Result<()> {
    let acme = customer(conn, "it@acme.test")?;
    let globex = customer(conn, "cfo@globex.test")?;
    let acme_title = title(
        conn,
        &acme,
        TitleFields {
            title_type: "enterprise".into(),
            invoice_kind: "vat_special".into(),
            name: "Acme Corp".into(),
            tax_id: "91310000MA1ACME01X".into(),
            bank_name: "Bank of Shanghai, Pudong branch".into(),
            bank_account: "6222 0210 0000 1234".into(),
            registered_address: "88 Century Avenue, Pudong, Shanghai".into(),
            registered_phone: "021-5555-0101".into(),
            postal_recipient: "Alice Chen".into(),
            postal_phone: "13812341234".into(),
            postal_address: "88 Century Avenue, Pudong, Shanghai 200120".into(),
            make_default: true,
        },
    )?;
    title(
        conn,
        &acme,
        TitleFields {
            title_type: "enterprise".into(),
            invoice_kind: "vat_normal".into(),
            name: "Acme Corp (Beijing office)".into(),
            ..TitleFields::default()
        },
    )?;
    let globex_title = title(
        conn,
        &globex,
        TitleFields {
            title_type: "enterprise".into(),
            invoice_kind: "vat_normal".into(),
            name: "Globex Ltd".into(),
            tax_id: "91440300MA5GLOBEX".into(),
            postal_recipient: "Gary Wang".into(),
            postal_phone: "13998765432".into(),
            postal_address: "1 Shennan Road, Futian, Shenzhen 518000".into(),
            ..TitleFields::default()
        },
    )?;
    let admin = member(demo.nw_admin, demo.northwind);
    let operator = operator(conn)?;
    // Acme → Northwind (resale): every state.
    let e = Medium::Electronic;
    if let Some((_, ids)) = ask(conn, &acme, acme_title, e, 300, 1)? {
        issue(conn, &admin, ids[0], "NW-2026-0001")?;
    }
    if let Some((_, ids)) = ask(conn, &acme, acme_title, Medium::Paper, 250, 2)? {
        issue(conn, &admin, ids[0], "NW-2026-0002")?;
        process::mail_paper(conn, &admin, ids[0], "SF1234567890", URL)
            .map_err(|e| anyhow::anyhow!("demo mail: {e}"))?;
    }
    if let Some((_, ids)) = ask(conn, &acme, acme_title, e, 120, 3)? {
        process::reject(
            conn,
            &admin,
            ids[0],
            "The tax id does not match the title.",
            URL,
        )
        .map_err(|e| anyhow::anyhow!("demo reject: {e}"))?;
    }
    if let Some((_, ids)) = ask(conn, &acme, acme_title, e, 180, 4)? {
        issue(conn, &admin, ids[0], "NW-2026-0003")?;
        process::return_invoice(
            conn,
            &admin,
            ids[0],
            "Wrong amount; returned for a new one.",
            URL,
        )
        .map_err(|e| anyhow::anyhow!("demo return: {e}"))?;
    }
    ask(conn, &acme, acme_title, e, 200, 5)?;
    // Globex → the platform (advisory).
    if let Some((_, ids)) = ask(conn, &globex, globex_title, e, 400, 1)? {
        issue(conn, &operator, ids[0], "PF-2026-0001")?;
    }
    ask(conn, &globex, globex_title, e, 150, 2)?;
    diesel::delete(outbox::table.filter(outbox::kind.eq("invoice"))).execute(conn)?;
    Ok(())
}

fn member(user: i64, org: i64) -> Caller {
    super::seed_actor().as_party(
        Party::Member(MemberOf {
            user_id: UserId(user),
            org_id: OrgId(org),
            org_kind: OrgKind::Distributor,
            role: Role::Admin,
        }),
        "admin@northwind.test",
    )
}

fn operator(conn: &mut PgConnection) -> anyhow::Result<Caller> {
    let user: i64 = users::table
        .filter(users::email.eq("ops@demo.test"))
        .select(users::id)
        .first(conn)?;
    Ok(super::seed_actor().as_party(
        Party::Operator {
            user_id: UserId(user),
        },
        "ops@demo.test",
    ))
}
