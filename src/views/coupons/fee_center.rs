//! The customer's coupon pages in the fee center (rule K6): vouchers, cash coupons, one coupon
//! with its history; rows already formatted for the templates.

use askama::Template;

use crate::domain::money::format_amount;
use crate::i18n::local_time;
use crate::services::coupons::customer_view::{CouponLine, HistoryLine};
use crate::services::coupons::scope::Service;
use crate::views::{Ctx, Pager};

/// One coupon as the fee center shows it.
pub struct CouponRow {
    pub id: i64,
    /// `voucher` or `cash_coupon`.
    pub kind: String,
    pub state: String,
    pub balance: String,
    pub face_value: String,
    pub valid_from: String,
    pub valid_until: String,
    pub issuer: String,
    /// The services' names in the reader's language, or "all services".
    pub scope: String,
    pub issued_at: String,
}

impl CouponRow {
    pub fn new(ctx: &Ctx, c: CouponLine, services: &[Service]) -> CouponRow {
        CouponRow {
            id: c.id,
            kind: c.kind.as_str().to_string(),
            state: c.state.as_str().to_string(),
            balance: format_amount(c.balance),
            face_value: format_amount(c.face_value),
            valid_from: crate::i18n::iso_date(c.valid_from),
            valid_until: crate::i18n::iso_date(c.valid_until),
            issuer: c.issuer,
            scope: scope_names(ctx, &c.scope, services),
            issued_at: local_time(c.issued_at),
        }
    }
}

/// rule K2: a scope's service names (codes the catalogue does not know stay codes); empty is
/// every service.
fn scope_names(ctx: &Ctx, scope: &[String], services: &[Service]) -> String {
    if scope.is_empty() {
        return ctx.t("fee.coupons.scope_all");
    }
    scope
        .iter()
        .map(|code| {
            services
                .iter()
                .find(|s| &s.code == code)
                .map_or(code.clone(), |s| {
                    ctx.lang.pick(&s.name_zh, &s.name_en).clone()
                })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// One entry of a coupon's history.
pub struct HistoryRow {
    pub event: String,
    pub amount: String,
    pub balance_after: String,
    pub at: String,
}

impl From<HistoryLine> for HistoryRow {
    fn from(h: HistoryLine) -> HistoryRow {
        HistoryRow {
            event: h.event.as_str().to_string(),
            amount: format_amount(h.amount),
            balance_after: format_amount(h.balance_after),
            at: local_time(h.at),
        }
    }
}

/// `/fee-center/coupons` (vouchers) or `/fee-center/cash-coupons`.
#[derive(Template)]
#[template(path = "fee_center/coupons/list.html")]
pub struct CustomerCouponsPage {
    pub ctx: Ctx,
    /// `voucher` or `cash_coupon`: the page's kind.
    pub kind: String,
    /// The page's own path.
    pub path: String,
    /// The state filter: a coupon state or `all`.
    pub state: String,
    pub states: Vec<&'static str>,
    pub rows: Vec<CouponRow>,
    pub pager: Pager,
}

/// `/fee-center/coupons/{id}`: one coupon and its history.
#[derive(Template)]
#[template(path = "fee_center/coupons/detail.html")]
pub struct CustomerCouponPage {
    pub ctx: Ctx,
    pub coupon: CouponRow,
    /// The list the coupon belongs to.
    pub back: String,
    pub history: Vec<HistoryRow>,
    pub pager: Pager,
}
