//! What a customer can have invoiced (rules B4–B6, K7). The rows are written by the triggers
//! of migration 000400, whoever issues bills or pays and refunds orders:
//! - an issued bill gives one item per tax rate of its lines' products: the charged cents at
//!   that rate less that rate's share of the bill's voucher deduction (K7, apportioned in
//!   proportion to the rates' charged cents, largest remainder; see the migration);
//! - a paid order gives one item at its product's rate: its amount less what vouchers paid;
//! - an unsubscribed order's refund gives a negative item of what went back to non-voucher
//!   sources; adjustments are negative items too.
//!
//! Month M's bills are invoiceable from the 3rd of M+1 (B4, in the platform's time zone);
//! orders and refunds at once.

mod issuers;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::schema::invoice_items;
use crate::services::billing::Month;

pub use issuers::{issuer_name, issuers_and_own, own_issuer};

/// Who invoices: a partner organisation (resale), or the platform (`None`).
pub type Issuer = Option<i64>;

/// rule B5: one invoice per signing entity and tax rate.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Group {
    pub signing_entity: String,
    pub tax_rate: i16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Bill,
    Order,
    Refund,
    Adjustment,
}

impl ItemKind {
    pub fn parse(s: &str) -> ItemKind {
        match s {
            "bill" => ItemKind::Bill,
            "order" => ItemKind::Order,
            "refund" => ItemKind::Refund,
            _ => ItemKind::Adjustment,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Bill => "bill",
            ItemKind::Order => "order",
            ItemKind::Refund => "refund",
            ItemKind::Adjustment => "adjustment",
        }
    }
}

/// One free item, as the match and the picker read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: i64,
    pub kind: ItemKind,
    pub bill_id: Option<i64>,
    pub order_id: Option<i64>,
    pub group: Group,
    pub period: Option<NaiveDate>,
    pub occurred_at: DateTime<Utc>,
    pub amount: Decimal,
    pub voucher_excluded: Decimal,
}

impl Item {
    /// rule B4: the day this item may be invoiced from.
    pub fn invoiceable_from(&self) -> Option<NaiveDate> {
        self.period.map(|p| invoiceable_from(Month::of(p)))
    }
}

/// rule B4: month M is invoiceable from the 3rd of M+1.
pub fn invoiceable_from(month: Month) -> NaiveDate {
    let next = month.next().first_day();
    next.with_day(3).unwrap_or(next)
}

/// rule B4: the latest month whose bills are invoiceable on `today` (a day in the platform's
/// zone): last month from the 3rd on, the month before until then.
pub fn latest_invoiceable(today: NaiveDate) -> Month {
    let last = Month::of(today).previous();
    if today >= invoiceable_from(last) {
        last
    } else {
        last.previous()
    }
}

/// Today in the platform's zone (SPEC §5 "Times").
pub fn today() -> NaiveDate {
    crate::i18n::local_date(Utc::now())
}

type Row = (
    i64,
    String,
    Option<i64>,
    Option<i64>,
    String,
    i16,
    Option<NaiveDate>,
    DateTime<Utc>,
    Decimal,
    Decimal,
);

fn item((id, kind, bill_id, order_id, entity, rate, period, at, amount, voucher): Row) -> Item {
    Item {
        id,
        kind: ItemKind::parse(&kind),
        bill_id,
        order_id,
        group: Group {
            signing_entity: entity,
            tax_rate: rate,
        },
        period,
        occurred_at: at,
        amount,
        voucher_excluded: voucher,
    }
}

/// Which free items to read.
#[derive(Debug, Clone, Copy)]
pub enum Reading {
    /// The B6 match: only what is invoiceable `on` that day, every one of them.
    Invoiceable { on: NaiveDate },
    /// The picker: the oldest `limit`, months not yet invoiceable included (shown as such).
    All { limit: i64 },
}

/// The customer's free items of one issuer in match order (B6: refunds and adjustments, then
/// bills by month, then orders by payment time): one walk of `invoice_items_open_idx`.
pub fn free(
    conn: &mut PgConnection,
    customer: i64,
    issuer: Issuer,
    reading: Reading,
) -> QueryResult<Vec<Item>> {
    let mut q = invoice_items::table
        .filter(invoice_items::customer_id.eq(customer))
        .filter(invoice_items::invoice_id.is_null())
        .into_boxed();
    q = match issuer {
        Some(org) => q.filter(invoice_items::issuer_org_id.eq(org)),
        None => q.filter(invoice_items::issuer_org_id.is_null()),
    };
    let limit = match reading {
        Reading::Invoiceable { on } => {
            let latest = latest_invoiceable(on).first_day();
            q = q.filter(
                invoice_items::period
                    .is_null()
                    .or(invoice_items::period.le(latest)),
            );
            None
        }
        Reading::All { limit } => Some(limit),
    };
    load(conn, q, limit)
}

/// These items of the customer, free or not, in match order.
pub fn these(conn: &mut PgConnection, customer: i64, ids: &[i64]) -> QueryResult<Vec<Item>> {
    let q = invoice_items::table
        .filter(invoice_items::customer_id.eq(customer))
        .filter(invoice_items::id.eq_any(ids))
        .into_boxed();
    load(conn, q, None)
}

/// The items in match order, the first `limit` of them when given (a number of the statement's
/// text, `db::page_limit`).
fn load(
    conn: &mut PgConnection,
    q: invoice_items::BoxedQuery<'_, diesel::pg::Pg>,
    limit: Option<i64>,
) -> QueryResult<Vec<Item>> {
    let q = q
        .order((
            invoice_items::rank,
            invoice_items::occurred_at,
            invoice_items::id,
        ))
        .select((
            invoice_items::id,
            invoice_items::kind,
            invoice_items::bill_id,
            invoice_items::order_id,
            invoice_items::signing_entity,
            invoice_items::tax_rate,
            invoice_items::period,
            invoice_items::occurred_at,
            invoice_items::amount,
            invoice_items::voucher_excluded,
        ));
    let rows: Vec<Row> = match limit {
        Some(n) => crate::db::page_limit::limited(q, n).load(conn)?,
        None => q.load(conn)?,
    };
    Ok(rows.into_iter().map(item).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    // rule B4: month M from the 3rd of M+1.
    #[test]
    fn a_month_is_invoiceable_from_the_third_of_the_next() {
        let nov = Month::parse("2026-11").unwrap();
        assert_eq!(invoiceable_from(nov), day("2026-12-03"));
        assert_eq!(
            invoiceable_from(Month::parse("2026-12").unwrap()),
            day("2027-01-03")
        );
        assert_eq!(latest_invoiceable(day("2026-12-02")).label(), "2026-10");
        assert_eq!(latest_invoiceable(day("2026-12-03")).label(), "2026-11");
        assert_eq!(latest_invoiceable(day("2027-01-01")).label(), "2026-11");
        assert_eq!(latest_invoiceable(day("2027-01-31")).label(), "2026-12");
    }
}
