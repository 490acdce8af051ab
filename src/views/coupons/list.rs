//! Template structs of the issued-coupons pages (rules K2a, K3, X3, C10): the list with its
//! filters and bulk recovery, one coupon with its history and recover form, the per-coupon
//! result of a bulk recovery.

use askama::Template;

use crate::services::coupons::list::EXPIRING_SHOWN_UP_TO;
use crate::views::customers::Opt;
use crate::views::{Ctx, FormErrors, Pager};

/// One coupon as the list shows it; money formatted, e-mail masked, labels translated.
pub struct CouponRow {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub customer_id: i64,
    pub company: String,
    pub email_masked: String,
    pub face_value: String,
    pub balance: String,
    pub valid_from: String,
    pub valid_until: String,
    /// The stored state (CSS class, checkbox shown only when `usable`).
    pub state: String,
    pub state_label: String,
    pub grant_id: i64,
    pub issued_at: String,
    pub expiring_soon: bool,
}

#[derive(Template)]
#[template(path = "partner/coupons/list.html")]
pub struct CouponListPage {
    pub ctx: Ctx,
    pub rows: Vec<CouponRow>,
    pub q: String,
    pub states: Vec<Opt>,
    pub kinds: Vec<Opt>,
    /// Kept filters the form does not offer as fields (customer and grant ids, as text).
    pub customer: String,
    pub grant: String,
    pub expiring: String,
    pub sizes: Vec<Opt>,
    /// Whether any filter is set (a link clears them).
    pub filtered: bool,
    /// Usable coupons expiring within 7 days: a number, or "100+".
    pub expiring_soon: String,
    pub expiring_href: String,
    pub export_href: String,
    pub pager: Pager,
}

/// One entry of a coupon's history.
pub struct HistoryRow {
    pub kind: String,
    pub kind_label: String,
    pub amount: String,
    pub balance_after: String,
    pub memo: String,
    pub by: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "partner/coupons/detail.html")]
pub struct CouponDetailPage {
    pub ctx: Ctx,
    pub coupon: CouponRow,
    /// Service names of the scope; empty means every service.
    pub services: Vec<String>,
    pub invoice_restricted: bool,
    pub is_cash_coupon: bool,
    pub grant_passed: bool,
    pub issued_by: String,
    pub ended_at: String,
    pub remark: String,
    pub history: Vec<HistoryRow>,
    pub pager: Pager,
    /// The recover form (admins, usable coupons).
    pub can_recover: bool,
    pub recover_remark: String,
    pub errors: FormErrors,
    /// A refusal shown above the form (rule K3).
    pub message: String,
}

/// What happened to one coupon of a bulk recovery.
pub struct RecoveryRow {
    pub id: i64,
    pub recovered: bool,
    pub text: String,
}

#[derive(Template)]
#[template(path = "partner/coupons/recovered.html")]
pub struct RecoveryResultPage {
    pub ctx: Ctx,
    pub rows: Vec<RecoveryRow>,
    pub recovered: usize,
    pub refused: usize,
    /// Why nothing was tried (no coupon chosen, remark too long, too many).
    pub message: String,
}

/// A bounded count as the coupons page and the dashboard show it: the number, or "100+"
/// above the bound.
pub fn bounded(n: i64) -> String {
    if n > EXPIRING_SHOWN_UP_TO {
        format!("{EXPIRING_SHOWN_UP_TO}+")
    } else {
        n.to_string()
    }
}
