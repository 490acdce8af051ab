//! The partner's order pages (rules P2, C10): the tabbed list and one order, with the pay and
//! reject forms for admins while a 代付 request waits.

use askama::Template;

use super::{OrderListRow, OrderRow, PaymentRow};
use crate::views::customers::Opt;
use crate::views::{Ctx, FormErrors, Pager};

/// A tab of the list: its link and whether it is the one shown.
pub struct TabLink {
    pub tab: &'static str,
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "partner/orders/list.html")]
pub struct PartnerOrdersPage {
    pub ctx: Ctx,
    pub tab: String,
    pub tabs: Vec<TabLink>,
    pub rows: Vec<OrderListRow>,
    pub q: String,
    pub sizes: Vec<Opt>,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "partner/orders/detail.html")]
pub struct PartnerOrderPage {
    pub ctx: Ctx,
    pub order: OrderRow,
    pub payments: Vec<PaymentRow>,
    /// An admin may pay or reject now (rule P2).
    pub can_answer: bool,
    /// The organisation's cash, formatted, when the admin may pay.
    pub cash: String,
    /// The pay form's idempotency key.
    pub key: String,
    /// The reject form's reason as typed.
    pub reason: String,
    pub errors: FormErrors,
    pub message: String,
}
