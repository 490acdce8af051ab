//! Asking for invoices (rules B4–B7): what the request form offers, the match shown before
//! submitting (B6), and the submission (`submit`), one transaction that writes the request,
//! one invoice per signing entity and tax rate (B5) and takes the items.

mod submit;

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::items::{self, Issuer, Item, Reading};
use super::matching::{self, Pick};
use super::plan::{self, Planned};
use super::state::Medium;
use super::titles::{self, Owner, Title};
use crate::db::schema::invoice_items;
use crate::domain::Caller;
use crate::services::ServiceResult;
use crate::services::billing::{BillingRefusal, Month};

pub use submit::{Submitted, submit};

/// How the requester chose what to invoice.
#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    /// rule B6: a specified amount, matched automatically.
    Amount(Decimal),
    /// Items picked one by one.
    Items(Vec<i64>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestInput {
    /// `None`: the customer's own issuer (B7: its partner when resale, else the platform).
    pub issuer: Option<Issuer>,
    pub title_id: i64,
    pub medium: Medium,
    pub mode: Mode,
}

/// The most items the picker lists (older ones first); a larger book asks for an amount (B6),
/// which matches every free item whatever their number. Fifty lines keep the form one screen
/// of choices and its cost a page's (a 200-line picker weighed 76 KB and ran at a sixth of the
/// yardstick, README "Where the time goes").
pub const PICKER_MAX: i64 = 50;

/// What the request form shows.
pub struct FormFacts {
    /// Issuers the customer has free items with, and its own (first when it has items).
    pub issuers: Vec<(Issuer, String)>,
    pub issuer: Issuer,
    pub titles: Vec<Title>,
    /// The issuer's oldest free items (months not yet invoiceable included).
    pub items: Vec<Item>,
    pub today: NaiveDate,
}

/// The request form for `issuer` (default: the customer's own, B7).
pub fn form(
    conn: &mut PgConnection,
    caller: &Caller,
    issuer: Option<Issuer>,
) -> ServiceResult<FormFacts> {
    let customer = caller.customer_id()?.get();
    let (mut issuers, own) = items::issuers_and_own(conn, customer)?;
    if let Some(i) = issuers.iter().position(|(id, _)| *id == own) {
        let mine = issuers.remove(i);
        issuers.insert(0, mine);
    }
    let issuer = issuer
        .filter(|i| issuers.iter().any(|(id, _)| id == i))
        .or_else(|| issuers.first().map(|(id, _)| *id))
        .unwrap_or(own);
    let items = items::free(conn, customer, issuer, Reading::All { limit: PICKER_MAX })?;
    Ok(FormFacts {
        issuers,
        issuer,
        titles: titles::list(conn, caller)?,
        items,
        today: items::today(),
    })
}

/// What the requester confirms (B6): the items taken and how much of each, the invoices
/// they make (B5), and the fingerprint the confirmation carries back.
pub struct Preview {
    pub issuer: Issuer,
    pub picks: Vec<(Item, Decimal)>,
    pub invoices: Vec<Planned>,
    pub total: Decimal,
    pub title: Title,
    pub fingerprint: String,
}

/// rule B6: the match the request would make now; nothing is written.
pub fn preview(
    conn: &mut PgConnection,
    caller: &Caller,
    input: &RequestInput,
) -> ServiceResult<Preview> {
    let customer = caller.customer_id()?.get();
    let title = usable_title(conn, customer, input)?;
    let issuer = resolve(conn, customer, input)?;
    let (found, picks) = matched(conn, customer, issuer, input, items::today())?;
    Ok(preview_of(issuer, title, &found, picks, input.medium))
}

/// The issuer the request goes to.
fn resolve(conn: &mut PgConnection, customer: i64, input: &RequestInput) -> ServiceResult<Issuer> {
    Ok(match input.issuer {
        Some(i) => i,
        None => items::own_issuer(conn, customer)?,
    })
}

fn preview_of(
    issuer: Issuer,
    title: Title,
    found: &[Item],
    picks: Vec<Pick>,
    medium: Medium,
) -> Preview {
    let invoices = plan::invoices(&picks, medium);
    let total = picks.iter().map(|p| p.taken).sum();
    let fingerprint = matching::fingerprint(&picks);
    let at: std::collections::HashMap<i64, &Item> = found.iter().map(|i| (i.id, i)).collect();
    let picks = picks
        .into_iter()
        .filter_map(|p| at.get(&p.item_id).map(|i| ((*i).clone(), p.taken)))
        .collect();
    Preview {
        issuer,
        picks,
        invoices,
        total,
        title,
        fingerprint,
    }
}

/// The chosen title of the customer (another's is 404); a paper invoice needs its postal
/// address (B7).
fn usable_title(
    conn: &mut PgConnection,
    customer: i64,
    input: &RequestInput,
) -> ServiceResult<Title> {
    let title = titles::get(conn, Owner::Customer(customer), input.title_id)?;
    if input.medium == Medium::Paper && !title.has_postal_address() {
        return Err(BillingRefusal::PaperNeedsAddress.into());
    }
    Ok(title)
}

/// The items the request takes on `today`, and the free items they came from.
fn matched(
    conn: &mut PgConnection,
    customer: i64,
    issuer: Issuer,
    input: &RequestInput,
    today: NaiveDate,
) -> ServiceResult<(Vec<Item>, Vec<Pick>)> {
    match &input.mode {
        Mode::Amount(asked) => {
            let found = items::free(conn, customer, issuer, Reading::Invoiceable { on: today })?;
            let picks = matching::by_amount(&found, *asked)?;
            Ok((found, picks))
        }
        Mode::Items(ids) => {
            let found = chosen(conn, customer, issuer, ids, today)?;
            let picks = matching::by_pick(&found, ids)?;
            Ok((found, picks))
        }
    }
}

/// The picked items, each checked: another customer's or issuer's is 404; one on a pending or
/// issued invoice is `ItemTaken` (B7); a month not yet invoiceable is `MonthNotInvoiceable`
/// (B4).
fn chosen(
    conn: &mut PgConnection,
    customer: i64,
    issuer: Issuer,
    ids: &[i64],
    today: NaiveDate,
) -> ServiceResult<Vec<Item>> {
    type Row = (i64, Option<i64>, Option<i64>, Option<NaiveDate>);
    let rows: Vec<Row> = invoice_items::table
        .filter(invoice_items::id.eq_any(ids))
        .filter(invoice_items::customer_id.eq(customer))
        .select((
            invoice_items::id,
            invoice_items::issuer_org_id,
            invoice_items::invoice_id,
            invoice_items::period,
        ))
        .load(conn)?;
    if rows.len() != ids.len() || rows.iter().any(|r| r.1 != issuer) {
        return Err(crate::services::ServiceError::NotFound);
    }
    if rows.iter().any(|r| r.2.is_some()) {
        return Err(BillingRefusal::ItemTaken.into());
    }
    if rows
        .iter()
        .filter_map(|r| r.3)
        .any(|p| items::invoiceable_from(Month::of(p)) > today)
    {
        return Err(BillingRefusal::MonthNotInvoiceable.into());
    }
    Ok(items::these(conn, customer, ids)?)
}
