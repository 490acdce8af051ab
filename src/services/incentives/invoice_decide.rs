//! Operators decide a pending incentive invoice (rule B8): confirm receipt (its incentives are
//! invoiced and leave P4's 欠票) or reject it with a reason (its incentives may be invoiced
//! again, and stay 欠票 meanwhile). Under the invoice's row lock, so two decisions decide once;
//! audited in the partner's log; the partner's admins are mailed.

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;
use serde_json::json;

use super::IncentiveRefusal;
use super::mail::{self, Notice};
use crate::audit::{self, Entry};
use crate::db::schema::{incentive_invoice_items, incentive_invoices, incentives};
use crate::domain::incentives::IncentiveInvoiceState;
use crate::domain::{Caller, OrgId};
use crate::services::{ServiceError, ServiceResult};

const PAGE: &str = "/partner/incentives/invoices";

fn decide(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    to: IncentiveInvoiceState,
    reason: &str,
    public_url: &str,
) -> ServiceResult<()> {
    let operator = caller.require_operator()?.get();
    conn.transaction(|conn| {
        let (partner_id, number, amount, state): (i64, String, Decimal, String) =
            incentive_invoices::table
                .find(id)
                .for_update()
                .select((
                    incentive_invoices::partner_id,
                    incentive_invoices::number,
                    incentive_invoices::amount,
                    incentive_invoices::state,
                ))
                .first(conn)
                .optional()?
                .ok_or(ServiceError::NotFound)?;
        if IncentiveInvoiceState::parse(&state) != Some(IncentiveInvoiceState::Pending) {
            return Err(IncentiveRefusal::InvoiceNotPending.into());
        }
        let now = Utc::now();
        diesel::update(incentive_invoices::table.find(id))
            .set((
                incentive_invoices::state.eq(to.as_str()),
                incentive_invoices::reason.eq(reason),
                incentive_invoices::decided_by.eq(Some(operator)),
                incentive_invoices::decided_at.eq(Some(now)),
            ))
            .execute(conn)?;
        let covered = incentives::table.filter(incentives::invoice_id.eq(Some(id)));
        if to == IncentiveInvoiceState::Received {
            diesel::update(covered)
                .set(incentives::invoiced_at.eq(Some(now)))
                .execute(conn)?;
        } else {
            diesel::update(covered)
                .set(incentives::invoice_id.eq(None::<i64>))
                .execute(conn)?;
        }
        let action = format!("incentive_invoice.{}", to.as_str());
        audit::record_for_org(
            conn,
            caller,
            Some(OrgId(partner_id)),
            Entry::new(&action, "incentive_invoice", id)
                .before(json!({ "state": state }))
                .after(json!({ "state": to.as_str(), "reason": reason, "number": number })),
        )?;
        let periods: Vec<NaiveDate> = incentive_invoice_items::table
            .inner_join(incentives::table)
            .filter(incentive_invoice_items::invoice_id.eq(id))
            .order(incentives::period)
            .select(incentives::period)
            .load(conn)?;
        let step = if to == IncentiveInvoiceState::Received {
            "invoice_received"
        } else {
            "invoice_rejected"
        };
        mail::admins(
            conn,
            &Notice {
                step,
                partner_id,
                what: number,
                amount,
                periods: &periods,
                reason,
                page: PAGE,
            },
            public_url,
        )?;
        Ok(())
    })
}

/// Confirms receipt of a pending invoice.
pub fn receive(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    public_url: &str,
) -> ServiceResult<()> {
    decide(
        conn,
        caller,
        id,
        IncentiveInvoiceState::Received,
        "",
        public_url,
    )
}

/// Rejects a pending invoice with a reason (1–500 characters).
pub fn reject(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    reason: &str,
    public_url: &str,
) -> ServiceResult<()> {
    caller.require_operator()?;
    let reason = super::reason(reason)?;
    decide(
        conn,
        caller,
        id,
        IncentiveInvoiceState::Rejected,
        reason,
        public_url,
    )
}
