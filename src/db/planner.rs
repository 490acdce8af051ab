//! Planner settings every pooled connection starts with.
//!
//! **No memoize nodes.** For a list that joins its rows to their customer or product,
//! PostgreSQL puts a Memoize node in front of the lookup, sized for the rows the join could
//! return without the list's `LIMIT` (a million orders), and zeroes that cache on every
//! execution: about a third of PostgreSQL's time on the order, coupon and bill lists went to
//! that `memset` while each page looked up twenty rows (README, "Where the time goes"). The
//! app's statements read a page, a row or a bounded batch, and a repeated index probe costs
//! them less than the cache does.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{CustomizeConnection, Error};

/// The settings, run once when the pool opens a connection.
pub const SETTINGS: &str = "SET enable_memoize = off";

#[derive(Debug, Clone, Copy)]
pub struct PlannerSettings;

impl CustomizeConnection<PgConnection, Error> for PlannerSettings {
    fn on_acquire(&self, conn: &mut PgConnection) -> Result<(), Error> {
        conn.batch_execute(SETTINGS).map_err(Error::QueryError)
    }
}
