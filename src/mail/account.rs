//! Mail about the reader's own account: confirm the address of a new account, reset a
//! password, or "you already have an account". One layout; each kind names its texts.

use askama::Template;

use crate::i18n::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountMailKind {
    /// A new account from a partner's join page: confirm the address (C7).
    JoinVerify,
    /// The join page was used with an address that has an account already.
    JoinKnown,
    /// A password reset was asked for.
    PasswordReset,
}

impl AccountMailKind {
    fn prefix(self) -> &'static str {
        match self {
            AccountMailKind::JoinVerify => "mail.join_verify",
            AccountMailKind::JoinKnown => "mail.join_known",
            AccountMailKind::PasswordReset => "mail.password_reset",
        }
    }
}

pub struct AccountEmail {
    pub lang: Lang,
    pub kind: AccountMailKind,
    /// The partner whose join page was used, when there is one.
    pub partner: String,
    /// The single-use link, or the sign-in page for `JoinKnown`.
    pub link: String,
    /// "valid for 24 hours" and the like, already in the reader's language.
    pub validity: String,
}

impl AccountEmail {
    fn text(&self, part: &str) -> String {
        self.lang.tf(
            &format!("{}.{part}", self.kind.prefix()),
            &[("partner", &self.partner), ("validity", &self.validity)],
        )
    }

    pub fn subject(&self) -> String {
        self.text("subject")
    }

    pub fn body(&self) -> String {
        self.text("body")
    }

    pub fn button(&self) -> String {
        self.text("button")
    }

    pub fn ignore(&self) -> String {
        self.text("ignore")
    }
}

#[derive(Template)]
#[template(path = "email/account/subject.txt")]
pub struct AccountSubject<'a> {
    pub m: &'a AccountEmail,
}

#[derive(Template)]
#[template(path = "email/account/text.txt")]
pub struct AccountText<'a> {
    pub m: &'a AccountEmail,
}

#[derive(Template)]
#[template(path = "email/account/html.html")]
pub struct AccountHtml<'a> {
    pub m: &'a AccountEmail,
}

crate::mail_template!(AccountEmail, AccountSubject, AccountText, AccountHtml);
