//! What every handler can reach: the pool, the settings and the mail worker's wake-up.

use std::sync::Arc;

use tokio::sync::{Notify, Semaphore};

use crate::config::Settings;
use crate::db::Pool;

/// What every handler can reach.
pub struct AppState {
    pub pool: Pool,
    pub settings: Settings,
    /// Wakes this instance's mail worker right after a commit that queued mail.
    pub mail_wake: Arc<Notify>,
    /// Wakes this instance's provisioning loop right after a commit that paid an order
    /// (rule P1: a paid order completes within seconds).
    pub provision_wake: Arc<Notify>,
    pub transport_name: String,
    /// Throttled attempts (sign-ins, public forms) that may use the pool at once (a quarter of
    /// it, at least one): a flood of attempts, which queue on one key's throttle lock, waits
    /// here holding no connection, and pages keep the rest of the pool (rule A2, SPEC §4).
    pub sign_in_gate: Arc<Semaphore>,
}

impl AppState {
    /// Waits for a turn of `sign_in_gate`; the turn ends when the permit is dropped.
    pub async fn throttled_attempt(
        &self,
    ) -> Result<tokio::sync::SemaphorePermit<'_>, crate::error::AppError> {
        self.sign_in_gate
            .acquire()
            .await
            .map_err(|e| crate::error::AppError::internal(format!("sign-in gate: {e}")))
    }

    pub fn sign_in_permits(pool_size: u32) -> usize {
        (pool_size as usize / 4).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::AppState;

    #[test]
    fn sign_ins_may_use_a_quarter_of_the_pool_and_never_none_of_it() {
        // rule A2, SPEC §4: a flood of sign-ins leaves most of the pool to pages.
        assert_eq!(AppState::sign_in_permits(8), 2);
        assert_eq!(AppState::sign_in_permits(32), 8);
        assert_eq!(AppState::sign_in_permits(3), 1);
        assert_eq!(AppState::sign_in_permits(0), 1);
    }
}
