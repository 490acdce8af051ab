//! The mail of payment on behalf (代付, rule P2): the partner's admins are asked to pay an
//! order; the customer is told that its partner paid it or rejected the request (with the
//! reason). Each goes out in its reader's language.

use crate::mail::step::StepWords;

use crate::i18n::Lang;

pub struct OrderEmail {
    pub lang: Lang,
    /// `pay_requested` (to the partner), `paid_by_partner` or `pay_rejected` (to the customer).
    pub step: &'static str,
    pub order_id: i64,
    /// The product's name in the reader's language.
    pub product: String,
    /// The amount charged, formatted.
    pub amount: String,
    pub company: String,
    pub partner: String,
    pub reason: String,
    /// The order's page for the reader.
    pub link: String,
}

impl crate::mail::MailTemplate for OrderEmail {
    fn render_mail(&self) -> Result<crate::mail::RenderedMail, askama::Error> {
        StepWords {
            lang: self.lang,
            area: "order",
            step: self.step,
        }
        .render(
            &[
                ("order", &self.order_id.to_string()),
                ("product", &self.product),
                ("amount", &self.amount),
                ("company", &self.company),
                ("partner", &self.partner),
            ],
            &self.reason,
            &self.link,
        )
    }
}
