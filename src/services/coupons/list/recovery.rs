//! Recovering several coupons in one action (rule K3): at most `BULK_MAX`, each in its own
//! savepoint through `recover::recover`, so one refusal (a used, expired or recovered coupon,
//! or one that is not the organisation's) does not stop the others; a result per coupon.

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::super::recover::recover;
use super::super::{CouponRefusal, REMARK_MAX};
use crate::domain::Caller;
use crate::services::{Refusal, ServiceError, ServiceResult};

/// rule K3: one bulk recovery handles at most this many coupons (a page holds 100).
pub const BULK_MAX: usize = 100;

/// What happened to one chosen coupon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecoveryResult {
    /// Its whole remaining balance went back to its grant.
    Recovered(Decimal),
    /// Refused for this reason (rule K3: only usable coupons).
    Refused(CouponRefusal),
    /// No coupon of the organisation has this id.
    NotFound,
}

/// rule K3: recovers each chosen coupon (admins only), in the order chosen, duplicates once.
/// A refusal or an unknown id is that coupon's result; anything else fails the action.
pub fn recover_each(
    conn: &mut PgConnection,
    caller: &Caller,
    ids: &[i64],
    remark: &str,
) -> ServiceResult<Vec<(i64, RecoveryResult)>> {
    super::super::admin(caller)?;
    if remark.chars().count() > REMARK_MAX {
        return Err(ServiceError::Malformed("remark"));
    }
    let mut chosen: Vec<i64> = Vec::with_capacity(ids.len());
    for id in ids {
        if !chosen.contains(id) {
            chosen.push(*id);
        }
    }
    if chosen.len() > BULK_MAX {
        return Err(CouponRefusal::TooMany.into());
    }
    let mut out = Vec::with_capacity(chosen.len());
    for id in chosen {
        // `recover` runs in a transaction of its own, a savepoint inside the caller's: a
        // refused coupon rolls back to it and the next one goes on.
        let result = match recover(conn, caller, id, remark) {
            Ok(amount) => RecoveryResult::Recovered(amount),
            Err(ServiceError::Refused(Refusal::Coupon(r))) => RecoveryResult::Refused(r),
            Err(ServiceError::NotFound) => RecoveryResult::NotFound,
            Err(e) => return Err(e),
        };
        out.push((id, result));
    }
    Ok(out)
}
