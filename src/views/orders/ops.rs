//! The operators' order queue (rule P1): orders pending review by default, with approve and
//! reject (with a reason) on each pending one.

use askama::Template;

use super::OrderListRow;
use crate::views::customers::Opt;
use crate::views::{Ctx, Pager};

#[derive(Template)]
#[template(path = "ops/orders.html")]
pub struct OpsOrdersPage {
    pub ctx: Ctx,
    pub rows: Vec<OrderListRow>,
    pub states: Vec<Opt>,
    pub q: String,
    pub pager: Pager,
    /// The query string of this view, to come back to after a decision.
    pub back: String,
}
