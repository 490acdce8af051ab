//! Template structs of the credit pages: a customer's credit line and debts (on the partner's
//! customer page and the limit form, and in the fee center's money page), the withdrawable
//! amount and withdrawals on `/partner/account`, and the operators' withdrawal pages.

use askama::Template;

use super::{Ctx, FormErrors, Pager};
use crate::domain::money::format_amount;
use crate::i18n::local_time;
use crate::services::credit::line::{CreditLine, CreditSummary, DebtLine};

/// A credit line, formatted.
pub struct CreditFacts {
    pub limit: String,
    pub used: String,
    pub available: String,
}

impl From<CreditLine> for CreditFacts {
    fn from(l: CreditLine) -> Self {
        CreditFacts {
            limit: format_amount(l.limit),
            used: format_amount(l.used),
            available: format_amount(l.available),
        }
    }
}

/// One open debt, formatted; `kind` is the `credit.debt.kind.*` suffix.
pub struct DebtShown {
    pub kind: String,
    pub amount: String,
    pub repaid: String,
    pub open: String,
    pub arose: String,
    pub due: String,
    pub overdue: bool,
}

impl From<DebtLine> for DebtShown {
    fn from(d: DebtLine) -> Self {
        DebtShown {
            amount: format_amount(d.amount),
            repaid: format_amount(d.repaid),
            open: format_amount(d.open()),
            arose: local_time(d.arose_at),
            due: crate::i18n::iso_date(d.due_on),
            overdue: d.overdue,
            kind: d.kind,
        }
    }
}

/// The credit section of a customer's page (`partner/customers/_credit.html`).
pub struct CreditPanel {
    pub facts: CreditFacts,
    pub debts: Vec<DebtShown>,
    pub in_arrears: bool,
    /// Where an admin sets the limit (resale customers only), when the viewer may.
    pub limit_href: Option<String>,
}

impl CreditPanel {
    pub fn new(s: CreditSummary, limit_href: Option<String>) -> CreditPanel {
        CreditPanel {
            facts: s.line.into(),
            debts: s.debts.into_iter().map(Into::into).collect(),
            in_arrears: s.in_arrears,
            limit_href,
        }
    }
}

#[derive(Template)]
#[template(path = "partner/customers/credit_limit.html")]
pub struct CreditLimitPage {
    pub ctx: Ctx,
    pub id: i64,
    pub company: String,
    /// Credit lines are for resale customers: otherwise the page says so and has no form.
    pub resale: bool,
    pub facts: CreditFacts,
    pub credit_limit: String,
    pub errors: FormErrors,
    pub message: String,
}

/// One movement of the customer's balance or credit line.
pub struct MovementLine {
    pub at: String,
    /// `credit.account.balance` or `credit.account.credit`.
    pub account_key: &'static str,
    pub what: String,
    pub memo: String,
    pub amount: String,
    pub incoming: bool,
    pub balance_after: String,
}

#[derive(Template)]
#[template(path = "fee_center/account.html")]
pub struct FeeAccountPage {
    pub ctx: Ctx,
    pub balance: String,
    pub credit_panel: CreditPanel,
    pub movements: Vec<MovementLine>,
    pub pager: Pager,
}

/// The withdrawable amount's terms and the withdrawal form and list on `/partner/account`
/// (`partner/_withdrawals.html`).
pub struct WithdrawalPanel {
    pub cash: String,
    pub owed_in_invoices: String,
    /// 欠票's make-up (rule B8): paid incentives without a received invoice, and the part on
    /// invoices awaiting confirmation.
    pub owed_incentives: i64,
    pub owed_on_pending_invoices: String,
    pub not_yet_posted: String,
    /// 未入账's make-up: approved incentive payment requests not yet paid.
    pub unposted_requests: i64,
    pub arrears: String,
    pub arrears_customers: i64,
    pub held: String,
    pub amount: String,
    /// The form as the admin left it.
    pub form_amount: String,
    pub key: String,
    pub errors: FormErrors,
    pub message: String,
    pub rows: Vec<WithdrawalLine>,
    pub pager: Pager,
}

pub struct WithdrawalLine {
    pub id: i64,
    pub partner: String,
    pub amount: String,
    pub state: String,
    pub reason: String,
    pub requested: String,
    pub decided: String,
    pub pending: bool,
}

#[derive(Template)]
#[template(path = "ops/withdrawals.html")]
pub struct OpsWithdrawalsPage {
    pub ctx: Ctx,
    pub q: String,
    pub state: String,
    pub rows: Vec<WithdrawalLine>,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "ops/withdrawal.html")]
pub struct OpsWithdrawalPage {
    pub ctx: Ctx,
    pub w: WithdrawalLine,
    pub reason: String,
    pub errors: FormErrors,
    pub message: String,
}
