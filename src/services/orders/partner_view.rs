//! A partner's view of its customers' orders (rules P1, P2, C10): the tabs of `/partner/orders`
//! (to pay: 代付 requested and still unpaid; paid by the partner; rejected; all), newest first
//! with keyset pages, narrowed by `q` (customer company or whole e-mail, product code or name),
//! and one order's page.
//!
//! **Scope** (SPEC §6 "Roles for money pages"): the orders placed while the customer was the
//! organisation's (`orders.partner_id`). An admin sees all of them; a supervisor those of the
//! customers `services::scope` lets them see (their team's, their own, unassigned), a customer
//! manager those of their own customers; any other order is not found (404). Only admins act.
//!
//! **Cost.** One statement per page (two for a supervisor, whose team is read first), walking
//! `orders_partner_idx` or, on the request tabs, `orders_partner_request_idx` newest first; the
//! organisation is a constant one-element array so the statement keeps its prepared plan (as
//! the coupon list does). `q` adds two statements: customers and products are matched apart
//! (`line::matching`).

use crate::db::runtime_value::at_run_time;
use diesel::prelude::*;

use super::line::{
    COLUMNS, Joined, OrderLine, OrderListLine, OrderPageLine, PaymentLine, joined, matching,
    payments,
};
use crate::db::constant_sql::{id_is_one_of, word_is};
use crate::db::page_limit::limited;
use crate::db::schema::orders;
use crate::domain::{Caller, MemberOf, OrderState, PayRequest};
use crate::services::keyset::take_page;
use crate::services::{ServiceError, ServiceResult, scope};

/// A tab of the partner's order list (`tab=`); the list opens on the requests to pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    ToPay,
    Paid,
    Rejected,
    All,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::ToPay, Tab::Paid, Tab::Rejected, Tab::All];

    pub fn as_str(self) -> &'static str {
        match self {
            Tab::ToPay => "to_pay",
            Tab::Paid => "paid",
            Tab::Rejected => "rejected",
            Tab::All => "all",
        }
    }

    pub fn parse(s: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub tab: Tab,
    /// Customer company (part of it), the customer's whole e-mail, or product code or name.
    pub q: String,
}

/// The orders the member sees, joined with customer and product.
fn scoped<'a>(conn: &mut PgConnection, member: &MemberOf) -> QueryResult<Joined<'a>> {
    let query = joined().filter(id_is_one_of("orders", "partner_id", member.org_id.get()));
    Ok(match scope::visible_customer_constants(conn, member)? {
        None => query,
        Some(visible) => query.filter(visible),
    })
}

/// One page of the tab after the order id `after`, and the next page's cursor; e-mails masked.
pub fn page(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
    after: Option<i64>,
    size: i64,
) -> ServiceResult<(Vec<OrderListLine>, Option<String>)> {
    let member = *caller.member()?;
    let size = size.max(1);
    let tab = filter.tab;
    let base = move |conn: &mut PgConnection| -> QueryResult<Joined<'static>> {
        let mut query = scoped(conn, &member)?;
        let requested = |r: PayRequest| word_is("orders", "pay_request", r.as_str());
        query = match tab {
            Tab::ToPay => query
                .filter(requested(PayRequest::Requested))
                .filter(word_is(
                    "orders",
                    "state",
                    OrderState::PendingPayment.as_str(),
                )),
            Tab::Paid => query.filter(requested(PayRequest::Paid)),
            Tab::Rejected => query.filter(requested(PayRequest::Rejected)),
            Tab::All => query,
        };
        if let Some(a) = after {
            query = query.filter(orders::id.lt(at_run_time(a)));
        }
        Ok(query.order((orders::partner_id, orders::id.desc())))
    };
    let mut rows = matching(conn, &base, &filter.q, size + 1)?;
    let next = take_page(&mut rows, size, |r| r.id.to_string());
    Ok((rows.into_iter().map(OrderListLine::masked).collect(), next))
}

/// One order as its partner's page shows it.
pub struct PartnerOrder {
    pub line: OrderLine,
    pub payments: Vec<PaymentLine>,
    /// rule P2: an admin may pay or reject it now (requested and still pending payment).
    pub can_answer: bool,
    /// The organisation's cash, for an admin who may pay.
    pub cash: Option<rust_decimal::Decimal>,
}

/// The order if the member sees it (404 otherwise), e-mail masked.
pub fn visible(conn: &mut PgConnection, member: &MemberOf, id: i64) -> ServiceResult<OrderLine> {
    scoped(conn, member)?
        .filter(orders::id.eq(id))
        .select(COLUMNS)
        .first::<(OrderListLine, OrderPageLine)>(conn)
        .optional()?
        .map(|pair| OrderLine::from(pair).masked())
        .ok_or(ServiceError::NotFound)
}

/// rules P2, C10: one order of a customer the member sees, with how it was paid.
pub fn detail(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<PartnerOrder> {
    let member = caller.member()?;
    let line = visible(conn, member, id)?;
    let payments = payments(conn, id)?;
    let can_answer = member.is_admin()
        && line.state() == Some(OrderState::PendingPayment)
        && line.pay_request() == Some(PayRequest::Requested);
    let cash = if can_answer {
        Some(crate::services::customers::top_up::partner_cash(
            conn,
            member.org_id,
        )?)
    } else {
        None
    };
    Ok(PartnerOrder {
        line,
        payments,
        can_answer,
        cash,
    })
}

/// rule X6: how many 代付 requests wait for the organisation, counted up to `up_to + 1` on
/// `orders_partner_request_idx` (the dashboard tile), for admins, who answer them.
pub fn waiting_requests(
    member: &MemberOf,
    up_to: i64,
) -> crate::db::scalar::Scalar<'static, diesel::sql_types::BigInt> {
    crate::db::scalar::count_of(limited(
        orders::table
            .filter(id_is_one_of("orders", "partner_id", member.org_id.get()))
            .filter(word_is(
                "orders",
                "pay_request",
                PayRequest::Requested.as_str(),
            ))
            .filter(word_is(
                "orders",
                "state",
                OrderState::PendingPayment.as_str(),
            ))
            .select(orders::id),
        up_to + 1,
    ))
}
