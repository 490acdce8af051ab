//! Template structs of the sign-in page, the three homes and the operator's mail and audit pages.

use askama::Template;

use super::{Ctx, FormErrors, Pager};
use crate::mail::outbox::OutboxMessage;

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub ctx: Ctx,
    pub email: String,
    pub next: String,
    pub message: String,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "partner/home.html")]
pub struct PartnerHomePage {
    pub ctx: Ctx,
    pub org_name: String,
    pub org_kind_key: String,
    pub customers: i64,
    /// A number, or "100+" above the bound the dashboard counts to.
    pub pending_invitations: String,
    /// Shown to admins only.
    pub cash: Option<String>,
    /// For a reseller: its distributor (and its cash is labelled "reseller balance").
    pub distributor: Option<String>,
    /// Usable coupons expiring within 7 days ("100+" above the bound), admins and
    /// supervisors only.
    pub expiring_coupons: Option<String>,
    /// Consumption and performance, twelve months and per manager (rule C5).
    pub trends: crate::views::dashboard::TrendsPanel,
    /// 代付 requests waiting (rule P2, "100+" above the bound), admins only.
    pub pay_requests: Option<String>,
    /// Invoice requests waiting (rule B7), "100+" above the bound.
    pub invoices_waiting: String,
}

#[derive(Template)]
#[template(path = "fee_center/home.html")]
pub struct FeeCenterHomePage {
    pub ctx: Ctx,
    pub company: String,
    pub balance: String,
    pub credit: String,
    /// Partner name, association type message key, associated since.
    pub partner: Option<(String, String, String)>,
    /// Usable voucher and cash-coupon balances (rule K6), formatted.
    pub vouchers: String,
    pub cash_coupons: String,
}

#[derive(Template)]
#[template(path = "ops/home.html")]
pub struct OpsHomePage {
    pub ctx: Ctx,
    pub partners: i64,
    pub customers: i64,
    pub mail_pending: i64,
    pub mail_failed: i64,
    /// Whether the last ledger verification passed, and when it ran.
    pub last_verification: Option<(bool, String)>,
    /// Signing entity and what it received, formatted.
    pub revenue: Vec<(String, String)>,
}

pub struct OutboxRow {
    pub id: i64,
    pub created: String,
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub state: String,
    pub attempts: i32,
}

#[derive(Template)]
#[template(path = "ops/outbox.html")]
pub struct OutboxPage {
    pub ctx: Ctx,
    pub transport: String,
    pub state: String,
    pub rows: Vec<OutboxRow>,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "ops/outbox_message.html")]
pub struct OutboxMessagePage {
    pub ctx: Ctx,
    pub msg: OutboxMessage,
    pub file: Option<String>,
}

pub struct AuditLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub details: String,
    pub client_ip: String,
}

#[derive(Template)]
#[template(path = "ops/audit.html")]
pub struct AuditPage {
    pub ctx: Ctx,
    pub q: String,
    pub rows: Vec<AuditLine>,
    pub pager: Pager,
}

/// The pages of mailed account links: "check your mail", a link that cannot be used, the
/// join confirmation, the reset request and the new-password form.
#[derive(Template)]
#[template(path = "public/account.html")]
pub struct AccountPage {
    pub ctx: Ctx,
    /// `check_mail`, `problem`, `verify`, `forgot` or `reset`.
    pub mode: &'static str,
    pub title: &'static str,
    pub message: String,
    pub email: String,
    pub partner: String,
    pub token: String,
    pub errors: FormErrors,
}

impl AccountPage {
    pub fn new(ctx: Ctx, mode: &'static str, title: &'static str) -> AccountPage {
        AccountPage {
            ctx,
            mode,
            title,
            message: String::new(),
            email: String::new(),
            partner: String::new(),
            token: String::new(),
            errors: FormErrors::default(),
        }
    }
}

#[derive(Template)]
#[template(path = "partner/audit.html")]
pub struct PartnerAuditPage {
    pub ctx: Ctx,
    pub q: String,
    pub rows: Vec<AuditLine>,
    pub pager: Pager,
}
