//! Structured logging to stderr, filtered by `RUST_LOG` (default `info`).

use tracing_subscriber::{EnvFilter, fmt};

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = fmt().with_env_filter(filter).with_target(false).try_init();
}

/// The id of the current request, shown on error pages and written to the audit log.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);
