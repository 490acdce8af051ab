//! Template structs of the quota pages: the partner's grants (`/partner/coupons/quotas`), one
//! grant, the pass form and its per-reseller result, and the operator's `/ops/quotas`.

use askama::Template;

use crate::domain::money::format_amount;
use crate::i18n::local_time;
use crate::services::coupons::ops_quotas::AdjustmentLine;
use crate::services::coupons::quotas::GrantLine;
use crate::views::ledger::EntryLine;
use crate::views::{Ctx, FormErrors, Pager};

/// One grant as every quota page shows it; amounts already formatted.
pub struct GrantRow {
    pub id: i64,
    pub partner: String,
    pub kind: String,
    pub amount: String,
    pub used: String,
    pub available: String,
    pub valid_from: String,
    pub valid_until: String,
    /// Service codes; empty: every service.
    pub scope: Vec<String>,
    /// rule K5 (cash coupons only).
    pub invoice_restricted: bool,
    pub state: String,
    pub parent_id: Option<i64>,
    /// The distributor that passed this grant.
    pub parent_partner: String,
    pub remark: String,
    pub created_at: String,
}

impl From<GrantLine> for GrantRow {
    fn from(g: GrantLine) -> Self {
        GrantRow {
            id: g.id,
            amount: format_amount(g.amount),
            used: format_amount(g.used()),
            available: format_amount(g.available),
            partner: g.partner_name,
            kind: g.kind,
            valid_from: crate::i18n::iso_date(g.valid_from),
            valid_until: crate::i18n::iso_date(g.valid_until),
            scope: g.scope,
            invoice_restricted: g.invoice_restricted,
            state: g.state,
            parent_id: g.parent_id,
            parent_partner: g.parent_partner.unwrap_or_default(),
            remark: g.remark,
            created_at: local_time(g.created_at),
        }
    }
}

/// A grant with the grants passed from it.
pub struct GrantGroup {
    pub grant: GrantRow,
    pub children: Vec<GrantRow>,
}

#[derive(Template)]
#[template(path = "partner/coupons/quotas.html")]
pub struct PartnerQuotasPage {
    pub ctx: Ctx,
    pub groups: Vec<GrantGroup>,
}

#[derive(Template)]
#[template(path = "partner/coupons/quota.html")]
pub struct PartnerGrantPage {
    pub ctx: Ctx,
    pub grant: GrantRow,
    pub children: Vec<GrantRow>,
    pub entries: Vec<EntryLine>,
    pub pager: Pager,
    /// A distributor's admin passes and reclaims (rule K1, K3).
    pub can_pass: bool,
    pub show_counterparty: bool,
}

/// A reseller to choose on the pass form.
pub struct ResellerChoice {
    pub id: i64,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "partner/coupons/pass.html")]
pub struct PassFormPage {
    pub ctx: Ctx,
    pub grant: GrantRow,
    pub resellers: Vec<ResellerChoice>,
    pub q: String,
    pub amount: String,
    pub key: String,
    pub errors: FormErrors,
    pub message: String,
}

/// One reseller's outcome of a pass.
pub struct PassResultRow {
    pub reseller_id: i64,
    pub name: String,
    pub passed: bool,
    /// The refusal's message; empty when passed.
    pub reason: String,
}

#[derive(Template)]
#[template(path = "partner/coupons/pass_result.html")]
pub struct PassResultPage {
    pub ctx: Ctx,
    pub grant_id: i64,
    pub amount: String,
    pub rows: Vec<PassResultRow>,
    pub passed: usize,
    pub refused: usize,
}

#[derive(Template)]
#[template(path = "ops/quotas.html")]
pub struct OpsQuotasPage {
    pub ctx: Ctx,
    pub rows: Vec<GrantRow>,
    pub q: String,
    pub kind: String,
    pub state: String,
    pub kinds: Vec<&'static str>,
    pub states: Vec<&'static str>,
    pub pager: Pager,
}

/// A service to tick on the grant form.
pub struct ServiceChoice {
    pub code: String,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "ops/quota_new.html")]
pub struct OpsGrantFormPage {
    pub ctx: Ctx,
    pub partners: Vec<(i64, String)>,
    pub services: Vec<ServiceChoice>,
    pub partner: String,
    pub kind: String,
    pub amount: String,
    pub valid_from: String,
    pub valid_until: String,
    pub invoice_restricted: bool,
    pub remark: String,
    pub key: String,
    pub errors: FormErrors,
    pub message: String,
}

pub struct AdjustmentRow {
    pub id: i64,
    /// Signed, `+` for an increase.
    pub delta: String,
    pub remark: String,
    pub state: String,
    pub proposed_by: String,
    pub decided_by: String,
    pub at: String,
    pub decided_at: String,
}

impl From<AdjustmentLine> for AdjustmentRow {
    fn from(a: AdjustmentLine) -> Self {
        let delta = format_amount(a.delta);
        AdjustmentRow {
            id: a.id,
            delta: if a.delta.is_sign_positive() {
                format!("+{delta}")
            } else {
                delta
            },
            remark: a.remark,
            state: a.state,
            proposed_by: a.proposed_by.unwrap_or_default(),
            decided_by: a.decided_by.unwrap_or_default(),
            at: local_time(a.created_at),
            decided_at: a.decided_at.map(local_time).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "ops/quota.html")]
pub struct OpsGrantPage {
    pub ctx: Ctx,
    pub grant: GrantRow,
    pub children: Vec<GrantRow>,
    pub adjustments: Vec<AdjustmentRow>,
    /// The adjustment waiting for a decision, if any.
    pub pending: Option<i64>,
    pub entries: Vec<EntryLine>,
    pub pager: Pager,
    pub show_counterparty: bool,
    /// The adjust form's typed values and errors.
    pub delta: String,
    pub remark: String,
    pub errors: FormErrors,
    pub message: String,
}
