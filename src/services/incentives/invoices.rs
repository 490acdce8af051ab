//! The partner invoices the platform for paid incentives (rule B8): one invoice covers paid
//! incentives of one payment request only — a batch's periods may share it, an incentive
//! applied for by itself may not share it with any other — at a 3% or 6% tax rate, with its
//! number, date and optional e-invoice file. Admins only; idempotent by the form's key; the
//! incentives' row locks make two invoices for one incentive impossible. The file is served
//! back to the partner's admins and to operators (`file_of`).

use chrono::NaiveDate;
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

use super::file::{FileKind, InvoiceFile};
use super::{IncentiveRefusal, chosen};
use crate::audit::{self, Entry};
use crate::db::schema::{
    incentive_invoice_items, incentive_invoices, incentive_payouts, incentives,
};
use crate::domain::incentives::{PayoutState, TaxRate};
use crate::domain::{Caller, Party};
use crate::services::credit::line::today;
use crate::services::customers::top_up::valid_key;
use crate::services::{ServiceError, ServiceResult};

pub const SUBMIT_ACTION: &str = "incentive_invoice.submitted";
/// The constraint that keeps one live invoice per number and partner.
const NUMBER_KEY: &str = "incentive_invoices_number_key";

pub struct NewInvoice {
    pub incentive_ids: Vec<i64>,
    pub tax_rate: TaxRate,
    pub number: String,
    pub issued_on: NaiveDate,
    pub file: Option<InvoiceFile>,
}

/// A chosen incentive, locked for the invoice.
#[derive(Queryable)]
struct Chosen {
    partner_id: i64,
    amount: Decimal,
    payout_id: Option<i64>,
    invoice_id: Option<i64>,
}

/// An invoice number as the column takes it: 1–40 letters, digits and dashes.
pub fn valid_number(n: &str) -> bool {
    (1..=40).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Submits the invoice; returns its id (the first one's on a double submit).
pub fn submit(
    conn: &mut PgConnection,
    caller: &Caller,
    new: &NewInvoice,
    key: &str,
) -> ServiceResult<i64> {
    let org = super::admin(caller)?.org_id.get();
    if !valid_key(key) {
        return Err(ServiceError::Malformed("idempotency key"));
    }
    if !valid_number(&new.number) {
        return Err(ServiceError::Malformed("invoice number"));
    }
    if new.issued_on > today() {
        return Err(ServiceError::Malformed("invoice date"));
    }
    let ids = chosen(&new.incentive_ids)?;
    let submit_key = format!("incentive-invoice:{org}:{key}");
    conn.transaction(|conn| {
        let earlier: Option<i64> = incentive_invoices::table
            .filter(incentive_invoices::submit_key.eq(&submit_key))
            .select(incentive_invoices::id)
            .first(conn)
            .optional()?;
        if let Some(id) = earlier {
            return Ok(id);
        }
        let rows: Vec<Chosen> = incentives::table
            .filter(incentives::id.eq_any(&ids))
            .order(incentives::id)
            .for_update()
            .select((
                incentives::partner_id,
                incentives::amount,
                incentives::payout_id,
                incentives::invoice_id,
            ))
            .load(conn)?;
        if rows.len() != ids.len() || rows.iter().any(|r| r.partner_id != org) {
            return Err(ServiceError::NotFound);
        }
        let payout_id = one_request(conn, &rows)?;
        if rows.iter().any(|r| r.invoice_id.is_some()) {
            return Err(IncentiveRefusal::AlreadyInvoiced.into());
        }
        let amount: Decimal = rows.iter().map(|r| r.amount).sum();
        let inserted = diesel::insert_into(incentive_invoices::table)
            .values((
                incentive_invoices::partner_id.eq(org),
                incentive_invoices::payout_id.eq(payout_id),
                incentive_invoices::number.eq(&new.number),
                incentive_invoices::issued_on.eq(new.issued_on),
                incentive_invoices::tax_rate.eq(new.tax_rate.percent()),
                incentive_invoices::amount.eq(amount),
                incentive_invoices::file_type.eq(new.file.as_ref().map(|f| f.kind.as_str())),
                incentive_invoices::file_data.eq(new.file.as_ref().map(|f| f.data.as_slice())),
                incentive_invoices::submit_key.eq(&submit_key),
                incentive_invoices::submitted_by.eq(caller.user_id().map(i64::from)),
            ))
            .returning(incentive_invoices::id)
            .get_result::<i64>(conn);
        let id = match inserted {
            Ok(id) => id,
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                info,
            )) if info.constraint_name() == Some(NUMBER_KEY) => {
                return Err(IncentiveRefusal::DuplicateNumber.into());
            }
            Err(e) => return Err(e.into()),
        };
        let items: Vec<_> = ids
            .iter()
            .map(|i| {
                (
                    incentive_invoice_items::invoice_id.eq(id),
                    incentive_invoice_items::incentive_id.eq(*i),
                )
            })
            .collect();
        diesel::insert_into(incentive_invoice_items::table)
            .values(&items)
            .execute(conn)?;
        diesel::update(incentives::table.filter(incentives::id.eq_any(&ids)))
            .set(incentives::invoice_id.eq(Some(id)))
            .execute(conn)?;
        audit::record(
            conn,
            caller,
            Entry::new(SUBMIT_ACTION, "incentive_invoice", id).after(json!({
                "incentives": ids, "payout": payout_id, "number": new.number,
                "tax_rate": new.tax_rate.percent(), "amount": amount.to_string(),
                "file": new.file.as_ref().map(|f| f.kind.as_str()),
            })),
        )?;
        Ok(id)
    })
}

/// rule B8: the one paid request every chosen incentive belongs to, or why there is none.
fn one_request(conn: &mut PgConnection, rows: &[Chosen]) -> ServiceResult<i64> {
    let Some(ids) = rows
        .iter()
        .map(|r| r.payout_id)
        .collect::<Option<Vec<i64>>>()
    else {
        return Err(IncentiveRefusal::NotPaid.into());
    };
    let requests: Vec<(i64, bool, String)> = incentive_payouts::table
        .filter(incentive_payouts::id.eq_any(&ids))
        .select((
            incentive_payouts::id,
            incentive_payouts::batch,
            incentive_payouts::state,
        ))
        .load(conn)?;
    if requests
        .iter()
        .any(|r| PayoutState::parse(&r.2) != Some(PayoutState::Paid))
    {
        return Err(IncentiveRefusal::NotPaid.into());
    }
    match requests.as_slice() {
        [only] => Ok(only.0),
        _ if requests.iter().any(|r| !r.1) => Err(IncentiveRefusal::SingleNotShared.into()),
        _ => Err(IncentiveRefusal::BatchesNotShared.into()),
    }
}

/// An invoice's file for download: the partner's admins see their own, operators any; `None`
/// when the invoice has no file. Another partner's invoice is "not found".
pub fn file_of(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
) -> ServiceResult<Option<InvoiceFile>> {
    let mut query = incentive_invoices::table
        .filter(incentive_invoices::id.eq(id))
        .into_boxed();
    match &caller.party {
        Party::Operator { .. } => {}
        _ => {
            query =
                query.filter(incentive_invoices::partner_id.eq(super::admin(caller)?.org_id.get()))
        }
    }
    let (kind, data): (Option<String>, Option<Vec<u8>>) = query
        .select((incentive_invoices::file_type, incentive_invoices::file_data))
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)?;
    Ok(match (kind.as_deref().and_then(FileKind::parse), data) {
        (Some(kind), Some(data)) => Some(InvoiceFile { kind, data }),
        _ => None,
    })
}
