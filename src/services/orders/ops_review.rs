//! The operators' order queue at `/ops/orders` (rule P1): orders pending review by default
//! (the partial index `orders_review_idx`), or any other state, newest first with keyset
//! pages, narrowed by `q` (customer company or whole e-mail, product). Approving and rejecting
//! are `steps::approve` and `steps::reject_review`.

use crate::db::runtime_value::at_run_time;
use diesel::prelude::*;

use super::line::{Joined, OrderListLine, joined, matching};
use crate::db::constant_sql::word_is;
use crate::db::schema::orders;
use crate::domain::{Caller, OrderState};
use crate::services::ServiceResult;
use crate::services::keyset::take_page;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// `None`: every state.
    pub state: Option<OrderState>,
    pub q: String,
}

/// One page of the queue after the order id `after`; e-mails masked (rule A5).
pub fn page(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<(Vec<OrderListLine>, Option<String>)> {
    caller.require_operator()?;
    let size = size.max(1);
    let state = filter.state;
    let base = move |_: &mut PgConnection| -> QueryResult<Joined<'static>> {
        let mut query = joined();
        if let Some(s) = state {
            query = query.filter(word_is("orders", "state", s.as_str()));
        }
        if let Some(a) = after {
            query = query.filter(orders::id.lt(at_run_time(a)));
        }
        Ok(query.order(orders::id.desc()))
    };
    let mut rows = matching(conn, &base, &filter.q, size + 1)?;
    let next = take_page(&mut rows, size, |r| r.id.to_string());
    Ok((rows.into_iter().map(OrderListLine::masked).collect(), next))
}
