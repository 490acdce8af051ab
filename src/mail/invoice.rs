//! The mail of each step of an invoice request (rule B7): requested, issued, mailed with a
//! tracking number, rejected or returned with the reason, each linking to the request.

use askama::Template;

use crate::mail::step::StepWords;

use crate::i18n::Lang;

pub struct InvoiceEmail {
    pub lang: Lang,
    /// `requested`, `issued`, `mailed`, `rejected` or `returned`.
    pub step: String,
    /// Who issues: the partner's name, or the platform's words for itself.
    pub issuer: String,
    /// The invoice number once issued (empty before).
    pub number: String,
    /// Already formatted (`1,234.50`).
    pub amount: String,
    pub tracking: String,
    pub reason: String,
    /// The requester's page of the request.
    pub link: String,
}

impl InvoiceEmail {
    fn words(&self) -> StepWords<'_> {
        StepWords {
            lang: self.lang,
            area: "invoice",
            step: &self.step,
        }
    }

    fn text(&self, part: &str) -> String {
        self.words().text(
            part,
            &[
                ("issuer", &self.issuer),
                ("number", &self.number),
                ("amount", &self.amount),
                ("tracking", &self.tracking),
            ],
        )
    }

    pub fn subject(&self) -> String {
        self.text("subject")
    }

    pub fn body(&self) -> String {
        self.text("body")
    }

    pub fn reason_line(&self) -> String {
        self.words().reason_line(&self.reason)
    }

    pub fn button(&self) -> String {
        self.words().button()
    }
}

#[derive(Template)]
#[template(path = "email/invoice/subject.txt")]
pub struct InvoiceSubject<'a> {
    pub m: &'a InvoiceEmail,
}

#[derive(Template)]
#[template(path = "email/invoice/text.txt")]
pub struct InvoiceText<'a> {
    pub m: &'a InvoiceEmail,
}

#[derive(Template)]
#[template(path = "email/invoice/html.html")]
pub struct InvoiceHtml<'a> {
    pub m: &'a InvoiceEmail,
}

crate::mail_template!(InvoiceEmail, InvoiceSubject, InvoiceText, InvoiceHtml);
