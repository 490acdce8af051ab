//! Mails a partner's admins, each in their own language, when an operator moves one of its
//! payment requests or incentive invoices (rules B8, P4). Written to the outbox in the
//! caller's transaction (rule X2).

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::schema::{organizations, users};
use crate::domain::Role;
use crate::domain::money::format_amount;
use crate::i18n::Lang;
use crate::mail::MailTemplate;
use crate::mail::incentive::IncentiveEmail;
use crate::mail::outbox;
use crate::services::ServiceResult;

/// The outbox kind of these mails.
pub const KIND: &str = "incentive";

/// What happened, and to what.
pub struct Notice<'a> {
    /// See `IncentiveEmail::step`.
    pub step: &'static str,
    pub partner_id: i64,
    pub what: String,
    pub amount: Decimal,
    pub periods: &'a [NaiveDate],
    pub reason: &'a str,
    /// The partner page it links to, `/partner/incentives/…`.
    pub page: &'static str,
}

/// Queues the notice for every enabled admin of the partner; returns how many.
pub fn admins(
    conn: &mut PgConnection,
    notice: &Notice<'_>,
    public_url: &str,
) -> ServiceResult<usize> {
    let partner: String = organizations::table
        .find(notice.partner_id)
        .select(organizations::name)
        .first(conn)?;
    let to: Vec<(String, String)> = users::table
        .filter(users::org_id.eq(notice.partner_id))
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::disabled.eq(false))
        .order(users::id)
        .select((users::email, users::language))
        .load(conn)?;
    let periods: Vec<String> = notice
        .periods
        .iter()
        .map(|p| crate::i18n::iso_month(*p))
        .collect();
    for (email, language) in &to {
        let lang = Lang::parse(language).unwrap_or(Lang::ZhCn);
        let mail = IncentiveEmail {
            lang,
            step: notice.step,
            partner: partner.clone(),
            what: notice.what.clone(),
            amount: format!("{}{}", lang.t("money.symbol"), format_amount(notice.amount)),
            periods: periods.join(", "),
            reason: notice.reason.to_string(),
            link: format!("{public_url}{}", notice.page),
        }
        .render_mail()?;
        outbox::enqueue(conn, KIND, email, &mail)?;
    }
    Ok(to.len())
}
