//! Operators record an incentive owed to a partner (rule B8): a period (a month that has
//! begun), a kind, an amount > 0 with two decimals and a remark; one per partner, period and
//! kind. Idempotent by the form's key.

use diesel::prelude::*;
use serde_json::json;

use super::{IncentiveRefusal, REMARK_MAX};
use crate::audit::{self, Entry};
use crate::db::schema::{incentives, organizations};
use crate::domain::incentives::{IncentiveKind, Period};
use crate::domain::{Caller, Money, OrgId};
use crate::services::credit::line::today;
use crate::services::customers::top_up::valid_key;
use crate::services::{ServiceError, ServiceResult};

pub const RECORD_ACTION: &str = "incentive.recorded";

#[derive(Clone, Debug)]
pub struct NewIncentive {
    pub partner_id: i64,
    pub period: Period,
    pub kind: IncentiveKind,
    pub amount: Money,
    pub remark: String,
}

/// Records the incentive; returns its id (the first one's on a double submit).
pub fn record(
    conn: &mut PgConnection,
    caller: &Caller,
    new: &NewIncentive,
    key: &str,
) -> ServiceResult<i64> {
    let operator = caller.require_operator()?;
    if !valid_key(key) {
        return Err(ServiceError::Malformed("idempotency key"));
    }
    let remark = new.remark.trim();
    if remark.chars().count() > REMARK_MAX {
        return Err(ServiceError::Malformed("remark"));
    }
    if new.period > Period::of(today()) {
        return Err(IncentiveRefusal::PeriodAhead.into());
    }
    let create_key = format!("incentive:{key}");
    conn.transaction(|conn| {
        let earlier = |conn: &mut PgConnection| {
            incentives::table
                .filter(incentives::create_key.eq(&create_key))
                .select(incentives::id)
                .first::<i64>(conn)
                .optional()
        };
        if let Some(id) = earlier(conn)? {
            return Ok(id);
        }
        organizations::table
            .find(new.partner_id)
            .select(organizations::id)
            .first::<i64>(conn)?;
        let id: Option<i64> = diesel::insert_into(incentives::table)
            .values((
                incentives::partner_id.eq(new.partner_id),
                incentives::period.eq(new.period.first_day()),
                incentives::kind.eq(new.kind.as_str()),
                incentives::amount.eq(new.amount.amount()),
                incentives::remark.eq(remark),
                incentives::create_key.eq(&create_key),
                incentives::created_by.eq(Some(operator.get())),
            ))
            .on_conflict_do_nothing()
            .returning(incentives::id)
            .get_result(conn)
            .optional()?;
        let Some(id) = id else {
            // A racing double submit of this form, or another incentive of this partner,
            // period and kind.
            return earlier(conn)?.ok_or(IncentiveRefusal::Duplicate.into());
        };
        audit::record_for_org(
            conn,
            caller,
            Some(OrgId(new.partner_id)),
            Entry::new(RECORD_ACTION, "incentive", id).after(json!({
                "period": new.period.label(), "kind": new.kind.as_str(),
                "amount": new.amount.amount().to_string(), "remark": remark,
            })),
        )?;
        Ok(id)
    })
}

/// The partners an operator can record for, by name (the form's choice).
pub fn partners(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<Vec<(i64, String)>> {
    caller.require_operator()?;
    Ok(organizations::table
        .order((organizations::name, organizations::id))
        .select((organizations::id, organizations::name))
        .load(conn)?)
}
