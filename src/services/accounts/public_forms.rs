//! The public forms that make accounts or send mail — a partner's join page, registration
//! from an invitation, password reset — are limited per client address (SPEC §6), checked
//! before any password is hashed.

use std::time::Duration;

use diesel::prelude::*;

use crate::auth::throttle;
use crate::domain::Caller;
use crate::services::{ServiceError, ServiceResult};

/// Counts this submission against the caller's address; over the hourly limit it is refused.
pub fn admit(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<()> {
    let hour = Duration::from_secs(3600);
    let over = conn.transaction(|conn| {
        throttle::hit(
            conn,
            throttle::PUBLIC_FORM_ADDRESS,
            &caller.meta.client_ip,
            throttle::PUBLIC_FORMS_PER_HOUR,
            hour,
        )
    })?;
    match over.wait {
        Some(_) => Err(ServiceError::TooManyAttempts),
        None => Ok(()),
    }
}
