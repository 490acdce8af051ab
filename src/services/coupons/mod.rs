//! Coupon distribution (rules K1–K7, C6, C10): quota grants from the platform, quota passed
//! to resellers, vouchers and cash coupons issued to customers, recovery and expiry. Every
//! movement of quota or coupon value is a `ledger::transfer`: a grant, a passed grant and a
//! coupon each have their own ledger account, and a coupon's value goes back to the grant it
//! came from.
//!
//! Who may do what (rule C10, SPEC §6 "Roles for money pages"): customer managers open no
//! coupon page; supervisors read; admins issue, pass and recover; operators grant, adjust and
//! freeze.

pub mod bulk;
pub mod customer_view;
pub mod grants;
pub mod issue;
pub mod issue_form;
pub mod list;
pub mod ops_actions;
pub mod ops_quotas;
pub mod passing;
pub mod quotas;
pub mod recover;
pub mod refusal;
pub mod scope;

use chrono::{NaiveDate, Utc};
use diesel::prelude::*;

use crate::domain::{Caller, MemberOf, Role};
use crate::services::ServiceResult;

pub use refusal::CouponRefusal;

/// Transfer kinds as stored (SPEC §6: stored names are history).
pub mod kinds {
    /// Platform → grant: an operator's grant or an approved increase (rule K1).
    pub const GRANT: &str = "quota_grant";
    /// Grant → platform: an approved decrease.
    pub const GRANT_DECREASE: &str = "quota_decrease";
    /// Parent grant → reseller's passed grant (rule K1).
    pub const PASS: &str = "quota_pass";
    /// Passed grant → parent grant: the distributor reclaims the unused part (rule K3).
    pub const PASS_RECLAIM: &str = "quota_reclaim";
    /// Grant → coupon (rule K2).
    pub const ISSUE: &str = "coupon_issue";
    /// Coupon → its grant: a partner's recovery or an unassociation's (rules K3, K4).
    pub const RECOVERY: &str = "coupon_recovery";
    /// Coupon → its grant: an expired cash coupon's value returns (rule K3).
    pub const EXPIRY: &str = "coupon_expiry";
    /// Coupon → platform revenue: paying an order (rule K7).
    pub const USE: &str = "coupon_use";
}

/// Audit actions as stored.
pub mod actions {
    pub const GRANTED: &str = "quota.granted";
    pub const ADJUSTMENT_PROPOSED: &str = "quota.adjustment_proposed";
    pub const ADJUSTMENT_DECIDED: &str = "quota.adjustment_decided";
    pub const FROZEN: &str = "quota.frozen";
    pub const UNFROZEN: &str = "quota.unfrozen";
    pub const PASSED: &str = "quota.passed";
    pub const RECLAIMED: &str = "quota.reclaimed";
    pub const GRANT_INVALID: &str = "quota.invalid";
    pub const ISSUED: &str = "coupon.issued";
    pub const RECOVERED: &str = "coupon.recovered";
    pub const EXPIRED: &str = "coupon.expired";
}

/// A remark on a grant, an adjustment, a pass or a recovery (rule K3: at most 256 characters),
/// the same bound as every money form's remark.
pub use crate::services::customers::top_up::REMARK_MAX;
/// rule K2: at most this many services limit a grant or a coupon.
pub const SCOPE_MAX: usize = 10;
/// rule K2: one form issues to at most this many customers (the API takes 100).
pub const FORM_CUSTOMERS_MAX: usize = 10;
/// rule R3, K1: one pass reaches at most this many resellers.
pub const PASS_RESELLERS_MAX: usize = 100;
/// Coupons that expire within this many days are flagged (coupons page, dashboard).
pub const EXPIRING_SOON_DAYS: i64 = 7;

/// rule C10: coupon pages are for admins and supervisors; customer managers get 403.
pub fn reader(caller: &Caller) -> ServiceResult<&MemberOf> {
    let member = caller.member()?;
    match member.role {
        Role::Admin | Role::Supervisor => Ok(member),
        Role::Manager => Err(crate::services::ServiceError::Forbidden),
    }
}

/// SPEC §6: only admins issue, pass and recover.
pub fn admin(caller: &Caller) -> ServiceResult<&MemberOf> {
    let member = caller.member()?;
    member.require_admin()?;
    Ok(member)
}

/// Today in the platform's time zone: validity dates are calendar days there (SPEC §5
/// "Times"); a grant or coupon is valid through its `valid_until`.
pub fn today() -> NaiveDate {
    crate::i18n::local_date(Utc::now())
}

/// Locks a grant's row for the rest of the transaction: callers that check its state and then
/// move quota hold it, so a racing freeze, adjustment or issue waits.
pub(crate) fn lock_grant(conn: &mut PgConnection, id: i64) -> QueryResult<()> {
    use crate::db::schema::quota_grants;
    quota_grants::table
        .find(id)
        .select(quota_grants::id)
        .for_update()
        .first::<i64>(conn)
        .map(|_| ())
}
