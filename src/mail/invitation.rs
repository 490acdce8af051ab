//! The invitation mail (rule C1) and its reminder: data structs and their three templates.

use askama::Template;

use crate::i18n::Lang;

/// The invitation mail (rule C1): names the partner, the association type and the expiry.
pub struct InvitationEmail {
    /// A customer invitation, or a distributor inviting a reseller organisation (rule R1).
    pub kind: crate::domain::InvitationKind,
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
    /// The message key of this kind of invitation: `mail.invitation.*` or
    /// `mail.reseller_invitation.*`.
    fn key(&self, part: &str) -> String {
        match self.kind {
            crate::domain::InvitationKind::Customer => format!("mail.invitation.{part}"),
            crate::domain::InvitationKind::Reseller => format!("mail.reseller_invitation.{part}"),
        }
    }

    pub fn subject(&self) -> String {
        self.lang
            .tf(&self.key("subject"), &[("partner", &self.partner)])
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
            &self.key("intro"),
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
        let key = match self.kind {
            crate::domain::InvitationKind::Customer => {
                format!("mail.invitation.explain.{}", self.association_type)
            }
            crate::domain::InvitationKind::Reseller => self.key("explain"),
        };
        self.lang.tf(&key, &[("partner", &self.partner)])
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
