//! What every handler can reach: the pool, the settings and the mail worker's wake-up.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::config::Settings;
use crate::db::Pool;

/// What every handler can reach.
pub struct AppState {
    pub pool: Pool,
    pub settings: Settings,
    /// Wakes this instance's mail worker right after a commit that queued mail.
    pub mail_wake: Arc<Notify>,
    pub transport_name: String,
}
