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
