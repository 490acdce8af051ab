//! Template structs of customer invitations (C1–C3), offline expansion (C7), pre-registration
//! (C8) and the invitation mails.

use askama::Template;

use super::{Ctx, FormErrors, Pager};
use crate::i18n::Lang;
use crate::mail::RenderedMail;

/// The invitation mail (rule C1): names the partner, the association type and the expiry.
pub struct InvitationEmail {
    pub lang: Lang,
    pub partner: String,
    pub inviter: String,
    pub company: String,
    /// `resale` or `advisory`.
    pub association_type: String,
    pub expires: String,
    pub link: String,
}

impl InvitationEmail {
    pub fn subject(&self) -> String {
        self.lang
            .tf("mail.invitation.subject", &[("partner", &self.partner)])
    }

    pub fn greeting(&self) -> String {
        if self.company.is_empty() {
            self.lang.t("mail.invitation.greeting")
        } else {
            self.lang.tf(
                "mail.invitation.greeting_company",
                &[("company", &self.company)],
            )
        }
    }

    pub fn intro(&self) -> String {
        self.lang.tf(
            "mail.invitation.intro",
            &[
                ("partner", &self.partner),
                ("inviter", &self.inviter),
                ("type", &self.type_label()),
            ],
        )
    }

    pub fn type_label(&self) -> String {
        self.lang
            .t(&format!("association.{}", self.association_type))
    }

    pub fn type_explained(&self) -> String {
        self.lang.tf(
            &format!("mail.invitation.explain.{}", self.association_type),
            &[("partner", &self.partner)],
        )
    }

    pub fn expiry(&self) -> String {
        self.lang
            .tf("mail.invitation.expiry", &[("expires", &self.expires)])
    }
}

#[derive(Template)]
#[template(path = "email/invitation/subject.txt")]
pub struct InvitationSubject<'a> {
    pub m: &'a InvitationEmail,
}

#[derive(Template)]
#[template(path = "email/invitation/text.txt")]
pub struct InvitationText<'a> {
    pub m: &'a InvitationEmail,
}

#[derive(Template)]
#[template(path = "email/invitation/html.html")]
pub struct InvitationHtml<'a> {
    pub m: &'a InvitationEmail,
}

crate::mail_template!(
    InvitationEmail,
    InvitationSubject,
    InvitationText,
    InvitationHtml
);

/// The reminder one day before an invitation expires. The plain link is not stored, so it
/// points the reader to the original mail.
pub struct InvitationReminderEmail {
    pub lang: Lang,
    pub partner: String,
    pub original_subject: String,
    pub sent: String,
    pub expires: String,
}

impl InvitationReminderEmail {
    pub fn subject(&self) -> String {
        self.lang
            .tf("mail.reminder.subject", &[("partner", &self.partner)])
    }

    pub fn body(&self) -> String {
        self.lang.tf(
            "mail.reminder.body",
            &[
                ("partner", &self.partner),
                ("sent", &self.sent),
                ("expires", &self.expires),
                ("subject", &self.original_subject),
            ],
        )
    }
}

#[derive(Template)]
#[template(path = "email/invitation_reminder/subject.txt")]
pub struct ReminderSubject<'a> {
    pub m: &'a InvitationReminderEmail,
}

#[derive(Template)]
#[template(path = "email/invitation_reminder/text.txt")]
pub struct ReminderText<'a> {
    pub m: &'a InvitationReminderEmail,
}

#[derive(Template)]
#[template(path = "email/invitation_reminder/html.html")]
pub struct ReminderHtml<'a> {
    pub m: &'a InvitationReminderEmail,
}

crate::mail_template!(
    InvitationReminderEmail,
    ReminderSubject,
    ReminderText,
    ReminderHtml
);

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
    /// The link of the invitation just sent, shown once.
    pub new_link: Option<String>,
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
    pub partner: String,
    pub association_type: String,
    pub expires: String,
    pub email: String,
    pub form: crate::services::signup::RegistrationForm,
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
    pub form: crate::services::signup::RegistrationForm,
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
    pub company: String,
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
