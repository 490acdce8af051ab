//! How many SQL statements a request ran, for the access log (`sql=N`) and `scripts/bench`.
//! Database work runs on blocking threads: each statement is counted on the thread that ran
//! it, `db::run` hands the difference to the request it worked for, and the request's tally
//! lives for the duration of the request's future (`counted`).

use std::cell::Cell;

use diesel::connection::{Instrumentation, InstrumentationEvent, set_default_instrumentation};

thread_local! {
    static ON_THREAD: Cell<u64> = const { Cell::new(0) };
}

tokio::task_local! {
    static REQUEST: Cell<u64>;
}

/// Statements run so far on this thread.
pub fn on_this_thread() -> u64 {
    ON_THREAD.with(Cell::get)
}

/// Adds statements to the request being served, if any (background work has none).
pub fn add_to_request(n: u64) {
    let _ = REQUEST.try_with(|c| c.set(c.get() + n));
}

/// Runs a request's future with its own tally; returns what it produced and the tally.
pub async fn counted<F: std::future::Future>(fut: F) -> (F::Output, u64) {
    REQUEST
        .scope(Cell::new(0), async move {
            let out = fut.await;
            (out, REQUEST.with(Cell::get))
        })
        .await
}

struct Counting;

impl Instrumentation for Counting {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::StartQuery { .. } = event {
            ON_THREAD.with(|c| c.set(c.get() + 1));
        }
    }
}

/// Counts the statements of every connection opened from now on. The server binary turns it
/// on; a process that installs its own instrumentation (the test suite) leaves it off.
pub fn install() -> anyhow::Result<()> {
    set_default_instrumentation(|| Some(Box::new(Counting)))
        .map_err(|e| anyhow::anyhow!("statement counting: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_collects_what_its_database_work_reported() {
        let ((), n) = counted(async {
            add_to_request(2);
            tokio::task::yield_now().await;
            add_to_request(3);
        })
        .await;
        assert_eq!(n, 5);
        // Outside a request nothing is collected and nothing fails.
        add_to_request(7);
        let ((), none) = counted(async {}).await;
        assert_eq!(none, 0);
    }
}
