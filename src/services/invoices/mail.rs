//! rule B7: the requester follows each step by mail, written to the outbox in the step's
//! transaction (X2), in the requester's language, to the user who asked (the customer's
//! address when that user is gone).

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::state::InvoiceState;
use crate::db::schema::{customers, invoice_requests as r, invoices as inv, organizations, users};
use crate::domain::money::format_amount;
use crate::i18n::Lang;
use crate::mail::invoice::InvoiceEmail;
use crate::mail::{MailTemplate, outbox};
use crate::services::ServiceResult;

struct Facts {
    request: i64,
    to: String,
    lang: Lang,
    issuer: String,
}

fn facts(conn: &mut PgConnection, request: i64) -> ServiceResult<Facts> {
    let (customer, requester, issuer): (i64, Option<i64>, Option<i64>) = r::table
        .find(request)
        .select((r::customer_id, r::requested_by, r::issuer_org_id))
        .first(conn)?;
    let user: Option<(String, String)> = match requester {
        Some(u) => users::table
            .find(u)
            .filter(users::disabled.eq(false))
            .select((users::email, users::language))
            .first(conn)
            .optional()?,
        None => None,
    };
    let (to, language) = match user {
        Some(found) => found,
        None => (
            customers::table
                .find(customer)
                .select(customers::email)
                .first(conn)?,
            String::new(),
        ),
    };
    let lang = Lang::parse(&language).unwrap_or(Lang::ZhCn);
    let issuer = match issuer {
        Some(o) => organizations::table
            .find(o)
            .select(organizations::name)
            .first(conn)?,
        None => lang.t("invoices.issuer.platform"),
    };
    Ok(Facts {
        request,
        to,
        lang,
        issuer,
    })
}

fn send(
    conn: &mut PgConnection,
    f: Facts,
    step: &str,
    (number, amount, tracking, reason): (String, Decimal, String, String),
    public_url: &str,
) -> ServiceResult<()> {
    let mail = InvoiceEmail {
        lang: f.lang,
        step: step.to_string(),
        issuer: f.issuer,
        number,
        amount: format_amount(amount),
        tracking,
        reason,
        link: format!("{public_url}/fee-center/invoices/{}", f.request),
    }
    .render_mail()?;
    outbox::enqueue(conn, "invoice", &f.to, &mail)?;
    Ok(())
}

/// The request was received.
pub fn requested(conn: &mut PgConnection, request: i64, public_url: &str) -> ServiceResult<()> {
    let amount: Decimal = r::table.find(request).select(r::amount).first(conn)?;
    let f = facts(conn, request)?;
    let none = String::new;
    send(
        conn,
        f,
        "requested",
        (none(), amount, none(), none()),
        public_url,
    )
}

/// One invoice of the request moved to `state`.
pub fn step(
    conn: &mut PgConnection,
    invoice: i64,
    state: InvoiceState,
    public_url: &str,
) -> ServiceResult<()> {
    type Row = (i64, Option<String>, Decimal, Option<String>, String);
    let (request, number, amount, tracking, reason): Row = inv::table
        .find(invoice)
        .select((
            inv::request_id,
            inv::number,
            inv::amount,
            inv::tracking_number,
            inv::reason,
        ))
        .first(conn)?;
    let f = facts(conn, request)?;
    let parts = (
        number.unwrap_or_default(),
        amount,
        tracking.unwrap_or_default(),
        reason,
    );
    send(conn, f, state.as_str(), parts, public_url)
}
