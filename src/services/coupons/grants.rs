//! Quota grants (rules K1, K2a): what the platform grants a partner, and the part of a
//! distributor's grant passed to a reseller (a child grant that remembers its parent and keeps
//! its validity, scope and K5 restriction). Each grant has its own ledger account: its balance
//! is what is left to issue or pass. Passing to a reseller and reclaiming are in `passing`.

mod passing;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{CouponRefusal, actions, kinds};
use crate::audit::{self, Entry};
use crate::db::schema::{ledger_accounts, organizations, quota_grants};
use crate::domain::{Caller, CouponKind, GrantState, MemberOf, Money, OrgId};
use crate::ledger::{self, AccountKind, TransferRequest};
use crate::services::{ServiceError, ServiceResult};

pub use passing::{PassResult, pass_one, reclaim_passed};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = quota_grants)]
pub struct GrantRow {
    pub id: i64,
    pub partner_id: i64,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub account_id: i64,
    pub amount: Decimal,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub scope: Vec<String>,
    pub invoice_restricted: bool,
    pub state: String,
    pub remark: String,
    pub created_at: DateTime<Utc>,
}

/// A grant with what is left on its account.
#[derive(Debug, Clone)]
pub struct Grant {
    pub row: GrantRow,
    pub kind: CouponKind,
    pub state: GrantState,
    /// The balance of the grant's account: what can still be issued or passed.
    pub available: Decimal,
}

impl Grant {
    /// Granted and not available: issued to coupons or passed to resellers (net of what
    /// came back).
    pub fn used(&self) -> Decimal {
        (self.row.amount - self.available).max(Decimal::ZERO)
    }

    /// rule K2a: only a normal grant within its validity issues or passes.
    pub fn can_issue(&self, today: NaiveDate) -> Result<(), CouponRefusal> {
        if self.state != GrantState::Normal {
            return Err(CouponRefusal::GrantNotNormal);
        }
        if self.row.valid_until < today {
            return Err(CouponRefusal::GrantExpired);
        }
        Ok(())
    }
}

fn from_row(row: GrantRow, available: Decimal) -> ServiceResult<Grant> {
    let kind = CouponKind::parse(&row.kind)
        .ok_or_else(|| ServiceError::internal(format!("grant kind {}", row.kind)))?;
    let state = GrantState::parse(&row.state)
        .ok_or_else(|| ServiceError::internal(format!("grant state {}", row.state)))?;
    Ok(Grant {
        row,
        kind,
        state,
        available,
    })
}

/// Grants with their accounts' balances, in one statement, for lists.
pub fn with_balances(
    conn: &mut PgConnection,
    query: quota_grants::BoxedQuery<'_, diesel::pg::Pg>,
) -> ServiceResult<Vec<Grant>> {
    let rows: Vec<(GrantRow, Decimal)> = query
        .inner_join(ledger_accounts::table)
        .select((GrantRow::as_select(), ledger_accounts::balance))
        .load(conn)?;
    rows.into_iter().map(|(r, b)| from_row(r, b)).collect()
}

/// One grant of the member's organisation; another organisation's is "not found". With
/// `lock`, the grant row stays locked to the end of the transaction.
pub fn own(
    conn: &mut PgConnection,
    member: &MemberOf,
    id: i64,
    lock: bool,
) -> ServiceResult<Grant> {
    by_id(conn, Some(member.org_id), id, lock)
}

/// A grant by id, within one organisation when `org` is given.
pub fn by_id(
    conn: &mut PgConnection,
    org: Option<OrgId>,
    id: i64,
    lock: bool,
) -> ServiceResult<Grant> {
    if lock {
        super::lock_grant(conn, id).optional()?;
    }
    let mut query = quota_grants::table
        .filter(quota_grants::id.eq(id))
        .into_boxed();
    if let Some(org) = org {
        query = query.filter(quota_grants::partner_id.eq(org.get()));
    }
    with_balances(conn, query)?
        .pop()
        .ok_or(ServiceError::NotFound)
}

/// What an operator grants (rule K1).
pub struct NewGrant {
    pub partner_id: i64,
    pub kind: CouponKind,
    pub amount: Money,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub scope: Vec<String>,
    pub invoice_restricted: bool,
    pub remark: String,
}

/// rule K1: an operator (or the demo loader, as System) grants quota to a partner: a new grant
/// with its own account, funded from the platform in one transfer. `key` makes a double
/// submit grant once.
pub fn create(
    conn: &mut PgConnection,
    caller: &Caller,
    new: &NewGrant,
    key: &str,
) -> ServiceResult<i64> {
    if !matches!(caller.party, crate::domain::Party::System) {
        caller.require_operator()?;
    }
    if new.valid_from > new.valid_until {
        return Err(CouponRefusal::ValidityInPast.into());
    }
    if new.remark.chars().count() > super::REMARK_MAX {
        return Err(ServiceError::Malformed("remark"));
    }
    let restricted = new.invoice_restricted && new.kind == CouponKind::CashCoupon;
    conn.transaction(|conn| {
        let key = format!("grant:{key}");
        if let Some(id) = granted_with(conn, &key)? {
            return Ok(id);
        }
        organizations::table
            .find(new.partner_id)
            .select(organizations::id)
            .first::<i64>(conn)?;
        let account = ledger::accounts::open_own(
            conn,
            AccountKind::quota_of(new.kind),
            Some(new.partner_id),
            None,
            "",
        )?;
        let id: i64 = diesel::insert_into(quota_grants::table)
            .values((
                quota_grants::partner_id.eq(new.partner_id),
                quota_grants::kind.eq(new.kind.as_str()),
                quota_grants::account_id.eq(account.id),
                quota_grants::amount.eq(new.amount.amount()),
                quota_grants::valid_from.eq(new.valid_from),
                quota_grants::valid_until.eq(new.valid_until),
                quota_grants::scope.eq(&new.scope),
                quota_grants::invoice_restricted.eq(restricted),
                quota_grants::remark.eq(&new.remark),
                quota_grants::created_by.eq(caller.user_id().map(i64::from)),
            ))
            .returning(quota_grants::id)
            .get_result(conn)?;
        let platform = ledger::accounts::platform(conn, AccountKind::Platform)?;
        ledger::transfer(
            conn,
            &TransferRequest {
                from: platform.id,
                to: account.id,
                amount: new.amount,
                kind: kinds::GRANT,
                idempotency_key: &key,
                memo: &new.remark,
                reverses: None,
            },
            caller,
        )?;
        audit::record_for_org(
            conn,
            caller,
            Some(OrgId(new.partner_id)),
            Entry::new(actions::GRANTED, "quota_grant", id).after(serde_json::json!({
                "partner": new.partner_id, "kind": new.kind.as_str(),
                "amount": new.amount.amount().to_string(),
                "valid_from": new.valid_from, "valid_until": new.valid_until,
                "scope": new.scope, "invoice_restricted": restricted, "remark": new.remark,
            })),
        )?;
        Ok(id)
    })
}

/// The grant an earlier submit of the same form created (its funding transfer carries the key).
fn granted_with(conn: &mut PgConnection, key: &str) -> ServiceResult<Option<i64>> {
    use crate::db::schema::ledger_transfers;
    let account: Option<i64> = ledger_transfers::table
        .filter(ledger_transfers::idempotency_key.eq(key))
        .select(ledger_transfers::to_account_id)
        .first(conn)
        .optional()?;
    Ok(match account {
        Some(a) => Some(
            quota_grants::table
                .filter(quota_grants::account_id.eq(a))
                .select(quota_grants::id)
                .first(conn)?,
        ),
        None => None,
    })
}
