//! The resellers pages (rules R1–R3): my resellers, one reseller, the funds form.

use askama::Template;

use super::{Ctx, FormErrors, Pager};

/// One reseller as the list shows it; money already formatted, contact already masked.
pub struct ResellerRow {
    pub id: i64,
    pub name: String,
    pub cooperation: String,
    pub contact_name: String,
    pub email_masked: String,
    pub phone_masked: String,
    pub reveal_action: String,
    pub balance: String,
    pub customers: i64,
}

#[derive(Template)]
#[template(path = "partner/resellers/list.html")]
pub struct ResellerListPage {
    pub ctx: Ctx,
    pub rows: Vec<ResellerRow>,
    pub q: String,
    pub pager: Pager,
}

/// One allocation or reclaim line.
pub struct FundsRow {
    pub direction: String,
    pub direction_label: String,
    pub amount: String,
    pub remark: String,
    pub by: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "partner/resellers/detail.html")]
pub struct ResellerDetailPage {
    pub ctx: Ctx,
    pub reseller: ResellerRow,
    pub history: Vec<FundsRow>,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "partner/resellers/funds.html")]
pub struct FundsFormPage {
    pub ctx: Ctx,
    pub id: i64,
    pub reseller: String,
    /// `allocate` or `reclaim`.
    pub direction: String,
    pub cash: String,
    pub reseller_balance: String,
    pub amount: String,
    pub remark: String,
    pub key: String,
    pub errors: FormErrors,
    pub message: String,
}

/// The distributor's reseller invitations (rule R1), rows as the customer invitations show them.
#[derive(Template)]
#[template(path = "partner/resellers/invitations.html")]
pub struct ResellerInvitationsPage {
    pub ctx: Ctx,
    pub rows: Vec<crate::views::invitations::InvitationRow>,
    pub state: String,
    pub q: String,
    pub pager: Pager,
}

/// The reseller invitation form with the exact mail as a preview (rule R1).
#[derive(Template)]
#[template(path = "partner/resellers/invite.html")]
pub struct ResellerInviteFormPage {
    pub ctx: Ctx,
    pub email: String,
    pub company: String,
    pub language: String,
    pub errors: FormErrors,
    pub expires: String,
    pub preview: Option<crate::mail::RenderedMail>,
}

/// One step of a cooperation application's history (rule R2).
pub struct StepRow {
    pub step: String,
    pub by: String,
    pub reason: String,
    pub at: String,
}

/// A cooperation application as every side lists it.
pub struct ApplicationRow {
    pub id: i64,
    pub company: String,
    pub applicant: String,
    pub distributor: String,
    pub message: String,
    pub state: String,
    pub created: String,
    pub steps: Vec<StepRow>,
}

/// `/fee-center/reseller-application`: the form and the customer's applications.
#[derive(Template)]
#[template(path = "fee_center/reseller_application.html")]
pub struct ApplyPage {
    pub ctx: Ctx,
    pub distributors: Vec<(i64, String)>,
    pub distributor_id: String,
    pub message: String,
    pub errors: FormErrors,
    /// Whether an application is waiting (the form is then not offered).
    pub open: bool,
    pub applications: Vec<ApplicationRow>,
}

/// The operator's and the distributor's lists of applications, with decide forms.
#[derive(Template)]
#[template(path = "partner/resellers/applications.html")]
pub struct DistributorApplicationsPage {
    pub ctx: Ctx,
    pub state: String,
    pub rows: Vec<ApplicationRow>,
    pub pager: Pager,
    pub message: String,
}

#[derive(Template)]
#[template(path = "ops/applications.html")]
pub struct OpsApplicationsPage {
    pub ctx: Ctx,
    pub state: String,
    pub rows: Vec<ApplicationRow>,
    pub pager: Pager,
    pub message: String,
}

/// One customer of a move's preview or result (rule R5).
pub struct MoveRow {
    pub id: i64,
    pub company: String,
    pub association_type: String,
    /// The refusal's message, or empty when it moves (moved).
    pub refused: String,
}

/// `/ops/moves`: choose a solution provider's customers and a reseller, preview, move (R5).
#[derive(Template)]
#[template(path = "ops/moves.html")]
pub struct MovesPage {
    pub ctx: Ctx,
    /// `choose`, `preview` or `done`.
    pub step: &'static str,
    pub providers: Vec<(i64, String)>,
    pub resellers: Vec<(i64, String)>,
    pub provider: i64,
    pub reseller: i64,
    /// The provider's customers to choose from (`choose`).
    pub customers: Vec<(i64, String, String)>,
    /// The preview or the result.
    pub lines: Vec<MoveRow>,
    pub message: String,
}
