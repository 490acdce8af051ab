//! The mail a partner's admins get when an operator moves one of its incentive payment
//! requests (approved, paid, rejected) or incentive invoices (received, rejected): rules B8,
//! P4. One layout; each step names its texts under `mail.incentive.<step>.*`.

use crate::mail::step::StepWords;

use crate::i18n::Lang;

pub struct IncentiveEmail {
    pub lang: Lang,
    /// `payout_approved`, `payout_paid`, `payout_rejected`, `invoice_received` or
    /// `invoice_rejected`.
    pub step: &'static str,
    pub partner: String,
    /// The request (`#12`) or the invoice number.
    pub what: String,
    /// Formatted, with the currency symbol of the reader's language.
    pub amount: String,
    /// The periods covered, `2026-01, 2026-02`.
    pub periods: String,
    pub reason: String,
    pub link: String,
}

impl crate::mail::MailTemplate for IncentiveEmail {
    fn render_mail(&self) -> Result<crate::mail::RenderedMail, askama::Error> {
        StepWords {
            lang: self.lang,
            area: "incentive",
            step: self.step,
        }
        .render(
            &[
                ("partner", &self.partner),
                ("what", &self.what),
                ("amount", &self.amount),
                ("periods", &self.periods),
            ],
            &self.reason,
            &self.link,
        )
    }
}
