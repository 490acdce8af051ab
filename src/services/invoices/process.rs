//! Processing invoices (rule B7) by their issuer: a partner's admins for resale requests, the
//! platform's operators for the others. Issue (number, date and, for an e-invoice, its file),
//! mail a paper invoice with a tracking number, reject with a reason, return (退票) an issued
//! invoice. Rejecting and returning free the invoice's items for a new request. Each step is
//! audited in the issuer's log and mailed to the requester, in one transaction.
//!
//! **Access.** Another organisation's invoice (or, for an operator, a partner's) is 404; a
//! supervisor or manager who sees the customer gets 403 (they read, only admins act, SPEC §6
//! "Roles for money pages").

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

use super::files::{self, Upload};
use super::mail;
use super::state::{InvoiceState, Medium};
use crate::audit::{self, Entry};
use crate::db::schema::{invoice_items, invoices as inv};
use crate::domain::{Caller, OrgId, Party};
use crate::services::billing::BillingRefusal;
use crate::services::{ServiceError, ServiceResult, scope};

/// The invoice as an action reads it, locked.
#[derive(Debug, Clone, Queryable)]
pub struct Locked {
    pub id: i64,
    pub customer_id: i64,
    pub issuer_org_id: Option<i64>,
    pub medium: String,
    pub state: String,
    pub amount: Decimal,
}

/// Whether the caller reads (`act == false`) or processes this invoice: `NotFound` outside
/// its scope, `Forbidden` for a member who only reads.
pub fn access(
    conn: &mut PgConnection,
    caller: &Caller,
    issuer: Option<i64>,
    customer: i64,
    act: bool,
) -> ServiceResult<()> {
    match &caller.party {
        Party::Operator { .. } if issuer.is_none() => Ok(()),
        Party::Member(m) if issuer == Some(m.org_id.get()) => {
            if m.is_admin() {
                Ok(())
            } else if scope::can_see_customer(conn, m, customer)? {
                if act {
                    Err(ServiceError::Forbidden)
                } else {
                    Ok(())
                }
            } else {
                Err(ServiceError::NotFound)
            }
        }
        Party::Customer { customer_id, .. } if !act && customer_id.get() == customer => Ok(()),
        Party::Operator { .. } | Party::Member(_) | Party::Customer { .. } => {
            Err(ServiceError::NotFound)
        }
        _ => Err(ServiceError::Forbidden),
    }
}

/// Whether the caller may process this invoice (404 outside its scope, 403 for readers), before
/// a form is even read.
pub fn may_act(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<()> {
    let (customer, issuer): (i64, Option<i64>) = inv::table
        .find(id)
        .select((inv::customer_id, inv::issuer_org_id))
        .first(conn)?;
    access(conn, caller, issuer, customer, true)
}

fn lock(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
) -> ServiceResult<(Locked, InvoiceState)> {
    let row: Locked = inv::table
        .find(id)
        .for_update()
        .select((
            inv::id,
            inv::customer_id,
            inv::issuer_org_id,
            inv::medium,
            inv::state,
            inv::amount,
        ))
        .first(conn)?;
    access(conn, caller, row.issuer_org_id, row.customer_id, true)?;
    let state = InvoiceState::parse(&row.state)
        .ok_or_else(|| ServiceError::internal(format!("invoice state {}", row.state)))?;
    Ok((row, state))
}

fn moving(state: InvoiceState, next: InvoiceState) -> ServiceResult<()> {
    if state.can_become(next) {
        Ok(())
    } else {
        Err(BillingRefusal::WrongInvoiceState.into())
    }
}

fn record(
    conn: &mut PgConnection,
    caller: &Caller,
    row: &Locked,
    action: &str,
    after: serde_json::Value,
) -> ServiceResult<()> {
    let entry = Entry::new(action, "invoice", row.id)
        .before(json!({ "state": row.state }))
        .after(after);
    audit::record_for_org(conn, caller, row.issuer_org_id.map(OrgId), entry)?;
    Ok(())
}

/// What issuing records.
pub struct IssueInput {
    pub number: String,
    pub issued_on: NaiveDate,
    /// The e-invoice as uploaded (PDF); `None`: a text e-invoice is generated.
    pub file: Option<Upload>,
}

/// rule B7: issues a pending invoice.
pub fn issue(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    input: &IssueInput,
    public_url: &str,
) -> ServiceResult<()> {
    conn.transaction(|conn| {
        let (row, state) = lock(conn, caller, id)?;
        moving(state, InvoiceState::Issued)?;
        let number = input.number.trim();
        let mut same = inv::table.filter(inv::number.eq(number)).into_boxed();
        same = match row.issuer_org_id {
            Some(o) => same.filter(inv::issuer_org_id.eq(o)),
            None => same.filter(inv::issuer_org_id.is_null()),
        };
        let taken: bool =
            diesel::select(diesel::dsl::exists(same.select(inv::id))).get_result(conn)?;
        if taken {
            return Err(BillingRefusal::InvoiceNumberTaken.into());
        }
        diesel::update(inv::table.find(id))
            .set((
                inv::state.eq(InvoiceState::Issued.as_str()),
                inv::number.eq(number),
                inv::issued_on.eq(input.issued_on),
                inv::issued_at.eq(Utc::now()),
                inv::decided_by.eq(caller.user_id().map(i64::from)),
                inv::updated_at.eq(Utc::now()),
            ))
            .execute(conn)?;
        if row.medium == Medium::Electronic.as_str() || input.file.is_some() {
            files::store(conn, id, input.file.as_ref())?;
        }
        let after = json!({ "state": "issued", "number": number, "issued_on": input.issued_on });
        record(conn, caller, &row, "invoice.issued", after)?;
        mail::step(conn, id, InvoiceState::Issued, public_url)
    })
}

/// rule B7: mails an issued paper invoice to the title's postal address.
pub fn mail_paper(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    tracking: &str,
    public_url: &str,
) -> ServiceResult<()> {
    conn.transaction(|conn| {
        let (row, state) = lock(conn, caller, id)?;
        if row.medium != Medium::Paper.as_str() {
            return Err(BillingRefusal::NotPaper.into());
        }
        moving(state, InvoiceState::Mailed)?;
        diesel::update(inv::table.find(id))
            .set((
                inv::state.eq(InvoiceState::Mailed.as_str()),
                inv::tracking_number.eq(tracking.trim()),
                inv::mailed_at.eq(Utc::now()),
                inv::updated_at.eq(Utc::now()),
            ))
            .execute(conn)?;
        let after = json!({ "state": "mailed", "tracking_number": tracking.trim() });
        record(conn, caller, &row, "invoice.mailed", after)?;
        mail::step(conn, id, InvoiceState::Mailed, public_url)
    })
}

/// rule B7: rejects a pending invoice with a reason; its items are free again.
pub fn reject(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    reason: &str,
    public_url: &str,
) -> ServiceResult<()> {
    close(conn, caller, id, InvoiceState::Rejected, reason, public_url)
}

/// rule B7: returns (退票) an issued or mailed invoice; its items can be invoiced again.
pub fn return_invoice(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    reason: &str,
    public_url: &str,
) -> ServiceResult<()> {
    close(conn, caller, id, InvoiceState::Returned, reason, public_url)
}

fn close(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    next: InvoiceState,
    reason: &str,
    public_url: &str,
) -> ServiceResult<()> {
    conn.transaction(|conn| {
        let (row, state) = lock(conn, caller, id)?;
        moving(state, next)?;
        super::lock_customer(conn, row.customer_id)?;
        diesel::update(inv::table.find(id))
            .set((
                inv::state.eq(next.as_str()),
                inv::reason.eq(reason.trim()),
                inv::closed_at.eq(Utc::now()),
                inv::decided_by.eq(caller.user_id().map(i64::from)),
                inv::updated_at.eq(Utc::now()),
            ))
            .execute(conn)?;
        let freed = diesel::update(invoice_items::table.filter(invoice_items::invoice_id.eq(id)))
            .set(invoice_items::invoice_id.eq(None::<i64>))
            .execute(conn)?;
        let action = match next {
            InvoiceState::Rejected => "invoice.rejected",
            _ => "invoice.returned",
        };
        let after =
            json!({ "state": next.as_str(), "reason": reason.trim(), "items_freed": freed });
        record(conn, caller, &row, action, after)?;
        mail::step(conn, id, next, public_url)
    })
}
