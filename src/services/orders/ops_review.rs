//! The operators' order queue at `/ops/orders` (rule P1): orders pending review by default
//! (the partial index `orders_review_idx`), or any other state, newest first with keyset
//! pages, narrowed by `q` (customer company or whole e-mail, product). Approving and rejecting
//! are `steps::approve` and `steps::reject_review`.

use diesel::prelude::*;

use super::line::{COLUMNS, OrderLine, joined, products_matching};
use crate::db::constant_sql::{planned_every_time, word_is};
use crate::db::page_limit::limited;
use crate::db::schema::{customers, orders};
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
) -> ServiceResult<(Vec<OrderLine>, Option<String>)> {
    caller.require_operator()?;
    let size = size.max(1);
    let mut query = joined();
    if let Some(s) = filter.state {
        query = query.filter(word_is("orders", "state", s.as_str()));
    }
    if !filter.q.is_empty() {
        let products = products_matching(conn, &filter.q)?;
        query = query
            .filter(
                customers::company
                    .ilike(crate::db::like_pattern(&filter.q))
                    .or(crate::db::whole_address(customers::email, &filter.q))
                    .or(orders::product_id.eq_any(products)),
            )
            .filter(planned_every_time());
    }
    if let Some(a) = after {
        query = query.filter(orders::id.lt(a));
    }
    let mut rows: Vec<OrderLine> =
        limited(query.order(orders::id.desc()).select(COLUMNS), size + 1).load(conn)?;
    let next = take_page(&mut rows, size, |r| r.id.to_string());
    Ok((rows.into_iter().map(OrderLine::masked).collect(), next))
}
