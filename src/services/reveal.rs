//! The one audited reveal (rule A5): a masked value shown in full is counted against the
//! member's hourly limit and written to the audit log, every time, whichever page asks.

use std::time::Duration;

use diesel::prelude::*;

use crate::audit::{self, Entry};
use crate::auth::throttle;
use crate::domain::{Caller, MemberOf};
use crate::services::{ServiceError, ServiceResult};

/// What is revealed, for the audit row: `action` on `subject_type` `subject_id`, `field`.
pub struct Subject<'a> {
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: i64,
    pub field: String,
}

/// Counts this reveal first and refuses it once the member is over `limit_per_hour` in the
/// last hour (parallel reveals get what serial ones get); otherwise audits it and returns the
/// value `look_up` found. Call inside a transaction, after checking the caller may see the
/// subject: a refusal or a failed look-up rolls the count back with everything else.
pub fn reveal(
    conn: &mut PgConnection,
    caller: &Caller,
    limit_per_hour: i64,
    subject: Subject<'_>,
    look_up: impl FnOnce(&mut PgConnection, &MemberOf) -> ServiceResult<String>,
) -> ServiceResult<String> {
    let member = caller.member()?;
    let key = member.user_id.to_string();
    let hour = Duration::from_secs(3600);
    if throttle::hit(conn, throttle::REVEAL, &key, limit_per_hour, hour)?
        .wait
        .is_some()
    {
        return Err(ServiceError::TooManyAttempts);
    }
    let value = look_up(conn, member)?;
    audit::record(
        conn,
        caller,
        Entry::new(subject.action, subject.subject_type, subject.subject_id)
            .after(serde_json::json!({ "field": subject.field })),
    )?;
    Ok(value)
}
