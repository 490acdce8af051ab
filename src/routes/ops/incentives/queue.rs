//! The query of the operators' two incentive queues (payment requests and incentive invoices,
//! rule B8): open ones by default, `state=all` for every one, `q` over the partner or number,
//! keyset pages. Every value is text, so a malformed one is ignored rather than refused.

use serde::Deserialize;

use crate::routes::cursor_id;
use crate::services::keyset;
use crate::views::url_encode;

#[derive(Deserialize)]
pub struct QueueQuery {
    q: Option<String>,
    state: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

/// A queue's query, parsed.
pub struct Queue {
    /// Every request, not only those waiting for an operator.
    pub all: bool,
    pub q: String,
    pub size: i64,
    pub before: Option<i64>,
}

impl QueueQuery {
    pub fn parse(&self) -> Queue {
        Queue {
            all: self.state.as_deref() == Some("all"),
            q: keyset::q(self.q.as_deref()),
            size: keyset::size_of(self.size.as_deref()),
            before: cursor_id(&self.after),
        }
    }
}

impl Queue {
    /// The `state` word the page's filter shows: `all`, or `waiting` (the queue's own word for
    /// its open requests).
    pub fn state_word(&self, waiting: &'static str) -> &'static str {
        if self.all { "all" } else { waiting }
    }

    /// The query string the pager keeps between pages.
    pub fn pager_base(&self, waiting: &'static str) -> String {
        let base = format!(
            "q={}&state={}",
            url_encode(&self.q),
            self.state_word(waiting)
        );
        crate::routes::with_size(base, self.size)
    }
}
