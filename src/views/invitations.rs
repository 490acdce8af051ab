//! Template structs of customer invitations (C1–C3), offline expansion (C7), pre-registration
//! (C8).

use askama::Template;

use super::{Ctx, FormErrors, Pager};
use crate::mail::RenderedMail;

pub struct InvitationRow {
    pub id: i64,
    pub email_masked: String,
    pub reveal_action: String,
    pub company: String,
    pub association_type: String,
    /// pending, accepted, expired or revoked.
    pub state: String,
    pub sent: String,
    pub expires: String,
    pub resent_count: i32,
    pub inviter: String,
}

#[derive(Template)]
#[template(path = "partner/invitations/list.html")]
pub struct InvitationListPage {
    pub ctx: Ctx,
    pub rows: Vec<InvitationRow>,
    pub state: String,
    pub q: String,
    pub pager: Pager,
    /// `Some(on)` for admins: the reminder switch.
    pub reminders: Option<bool>,
}

#[derive(Template)]
#[template(path = "partner/invitations/new.html")]
pub struct NewInvitationPage {
    pub ctx: Ctx,
    pub email: String,
    pub company: String,
    pub association_type: String,
    pub language: String,
    pub errors: FormErrors,
    pub expires: String,
    pub preview: Option<RenderedMail>,
}

/// What `/invitations/{token}` shows: a problem page, or the form to register or sign in.
#[derive(Template)]
#[template(path = "public/invitation.html")]
pub struct InvitationLandingPage {
    pub ctx: Ctx,
    /// `problem`, `register` or `sign_in`.
    pub mode: &'static str,
    /// For problems: the message key suffix (`invite.problem.<key>.*`).
    pub problem: &'static str,
    pub token: String,
    /// `customer` or `reseller` (rule R1).
    pub kind: String,
    pub partner: String,
    pub association_type: String,
    pub expires: String,
    pub email: String,
    pub form: crate::services::accounts::signup::RegistrationForm,
    pub errors: FormErrors,
    pub message: String,
}

#[derive(Template)]
#[template(path = "public/join.html")]
pub struct JoinPage {
    pub ctx: Ctx,
    /// False when the code was voided or never existed.
    pub valid: bool,
    pub code: String,
    pub partner: String,
    pub form: crate::services::accounts::signup::RegistrationForm,
    pub errors: FormErrors,
    pub message: String,
}

#[derive(Template)]
#[template(path = "partner/expansion.html")]
pub struct ExpansionPage {
    pub ctx: Ctx,
    pub link: Option<String>,
    pub created: String,
}

pub struct BulkRow {
    pub line: usize,
    pub email: String,
    pub company: String,
    pub association_type: String,
    /// valid, duplicate, already_invited, already_customer, bad_address, bad_type, sent.
    pub result: String,
}

#[derive(Template)]
#[template(path = "partner/invitations/bulk.html")]
pub struct BulkPage {
    pub ctx: Ctx,
    pub rows: Vec<BulkRow>,
    /// The checked rows, carried to the send step.
    pub csv: String,
    pub language: String,
    pub error: String,
    pub valid: usize,
    pub summary: String,
    pub send_label: String,
    /// True on the report after sending.
    pub sent: bool,
}

pub struct PreRegistrationRow {
    pub email_masked: String,
    pub created: String,
    pub expires: String,
    pub days_left: i64,
}

#[derive(Template)]
#[template(path = "partner/invitations/pre_registrations.html")]
pub struct PreRegistrationsPage {
    pub ctx: Ctx,
    pub rows: Vec<PreRegistrationRow>,
    pub count_text: String,
    pub email: String,
    pub errors: FormErrors,
}
