//! The mail of each step of a cooperation application (rule R2): received, passed on by the
//! operator, approved or rejected, with the reason when there is one.

use askama::Template;

use crate::i18n::Lang;

pub struct ApplicationEmail {
    pub lang: Lang,
    /// `applied`, `operator_approved`, `operator_rejected`, `distributor_approved` or
    /// `distributor_rejected`.
    pub step: String,
    pub distributor: String,
    pub reason: String,
    /// Where to follow the application (or, once approved, the partner area).
    pub link: String,
}

impl ApplicationEmail {
    fn text(&self, part: &str) -> String {
        self.lang.tf(
            &format!("mail.application.{}.{part}", self.step),
            &[("distributor", &self.distributor)],
        )
    }

    pub fn subject(&self) -> String {
        self.text("subject")
    }

    pub fn body(&self) -> String {
        self.text("body")
    }

    pub fn reason_line(&self) -> String {
        if self.reason.is_empty() {
            String::new()
        } else {
            self.lang
                .tf("mail.application.reason", &[("reason", &self.reason)])
        }
    }

    pub fn button(&self) -> String {
        self.lang.t("mail.application.button")
    }
}

#[derive(Template)]
#[template(path = "email/application/subject.txt")]
pub struct ApplicationSubject<'a> {
    pub m: &'a ApplicationEmail,
}

#[derive(Template)]
#[template(path = "email/application/text.txt")]
pub struct ApplicationText<'a> {
    pub m: &'a ApplicationEmail,
}

#[derive(Template)]
#[template(path = "email/application/html.html")]
pub struct ApplicationHtml<'a> {
    pub m: &'a ApplicationEmail,
}

crate::mail_template!(
    ApplicationEmail,
    ApplicationSubject,
    ApplicationText,
    ApplicationHtml
);
