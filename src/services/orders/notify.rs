//! The mail of 代付 (rule P2), enqueued in the caller's transaction (rule X2): the partner's
//! admins are asked to pay, the customer is told the partner paid or rejected. Each reader gets
//! the mail in their own language, with a link to the order's page on their side.

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::mail_kinds;
use crate::db::schema::{customers, orders, organizations, products, users};
use crate::domain::money::format_amount;
use crate::domain::{Audience, Role};
use crate::i18n::Lang;
use crate::mail::order::OrderEmail;
use crate::mail::{MailTemplate, outbox};
use crate::services::ServiceResult;

/// What every 代付 mail says about the order.
struct Facts {
    customer_id: i64,
    partner_id: Option<i64>,
    company: String,
    name_en: String,
    name_zh: String,
    amount: Decimal,
}

fn facts(conn: &mut PgConnection, order_id: i64) -> QueryResult<Facts> {
    let (customer_id, partner_id, company, name_en, name_zh, amount) = orders::table
        .inner_join(customers::table)
        .inner_join(products::table)
        .filter(orders::id.eq(order_id))
        .select((
            orders::customer_id,
            orders::partner_id,
            customers::company,
            products::name_en,
            products::name_zh,
            orders::amount,
        ))
        .first(conn)?;
    Ok(Facts {
        customer_id,
        partner_id,
        company,
        name_en,
        name_zh,
        amount,
    })
}

fn partner_name(conn: &mut PgConnection, partner_id: Option<i64>) -> QueryResult<String> {
    match partner_id {
        Some(id) => organizations::table
            .find(id)
            .select(organizations::name)
            .first(conn),
        None => Ok(String::new()),
    }
}

fn send(
    conn: &mut PgConnection,
    kind: &str,
    recipients: Vec<(String, String)>,
    mail: impl Fn(Lang) -> OrderEmail,
) -> ServiceResult<()> {
    for (email, language) in recipients {
        let rendered = mail(Lang::parse(&language).unwrap_or(Lang::ZhCn)).render_mail()?;
        outbox::enqueue(conn, kind, &email, &rendered)?;
    }
    Ok(())
}

/// rule P2: the partner's admins are asked to pay the order.
pub fn pay_requested(
    conn: &mut PgConnection,
    order_id: i64,
    public_url: &str,
) -> ServiceResult<()> {
    let f = facts(conn, order_id)?;
    let admins: Vec<(String, String)> = users::table
        .filter(users::org_id.eq(f.partner_id))
        .filter(users::audience.eq(Audience::Partner.as_str()))
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::disabled.eq(false))
        .order(users::id)
        .select((users::email, users::language))
        .load(conn)?;
    let partner = partner_name(conn, f.partner_id)?;
    let link = format!("{public_url}/partner/orders/{order_id}");
    send(conn, mail_kinds::PAY_REQUESTED, admins, |lang| {
        mail(lang, "pay_requested", order_id, &f, &partner, "", &link)
    })
}

/// rule P2: the customer is told its partner paid the order (`reason` empty) or rejected the
/// request (with the partner's reason).
pub fn answered(
    conn: &mut PgConnection,
    order_id: i64,
    reason: Option<&str>,
    public_url: &str,
) -> ServiceResult<()> {
    let f = facts(conn, order_id)?;
    let readers: Vec<(String, String)> = users::table
        .filter(users::customer_id.eq(f.customer_id))
        .filter(users::disabled.eq(false))
        .order(users::id)
        .select((users::email, users::language))
        .load(conn)?;
    let partner = partner_name(conn, f.partner_id)?;
    let link = format!("{public_url}/fee-center/orders/{order_id}");
    let (kind, step) = match reason {
        Some(_) => (mail_kinds::PAY_REJECTED, "pay_rejected"),
        None => (mail_kinds::PAID_BY_PARTNER, "paid_by_partner"),
    };
    let reason = reason.unwrap_or("");
    send(conn, kind, readers, |lang| {
        mail(lang, step, order_id, &f, &partner, reason, &link)
    })
}

fn mail(
    lang: Lang,
    step: &'static str,
    order_id: i64,
    f: &Facts,
    partner: &str,
    reason: &str,
    link: &str,
) -> OrderEmail {
    OrderEmail {
        lang,
        step,
        order_id,
        product: lang.pick(&f.name_zh, &f.name_en).clone(),
        amount: format_amount(f.amount),
        company: f.company.clone(),
        partner: partner.to_string(),
        reason: reason.to_string(),
        link: link.to_string(),
    }
}
