//! The mail of each step of an invoice request (rule B7): requested, issued, mailed with a
//! tracking number, rejected or returned with the reason, each linking to the request.

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

impl crate::mail::MailTemplate for InvoiceEmail {
    fn render_mail(&self) -> Result<crate::mail::RenderedMail, askama::Error> {
        StepWords {
            lang: self.lang,
            area: "invoice",
            step: &self.step,
        }
        .render(
            &[
                ("issuer", &self.issuer),
                ("number", &self.number),
                ("amount", &self.amount),
                ("tracking", &self.tracking),
            ],
            &self.reason,
            &self.link,
        )
    }
}
