//! The mail a partner's admins get when an operator moves one of its incentive payment
//! requests (approved, paid, rejected) or incentive invoices (received, rejected): rules B8,
//! P4. One layout; each step names its texts under `mail.incentive.<step>.*`.

use askama::Template;

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

impl IncentiveEmail {
    fn words(&self) -> StepWords<'_> {
        StepWords {
            lang: self.lang,
            area: "incentive",
            step: self.step,
        }
    }

    fn text(&self, part: &str) -> String {
        self.words().text(
            part,
            &[
                ("partner", &self.partner),
                ("what", &self.what),
                ("amount", &self.amount),
                ("periods", &self.periods),
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
#[template(path = "email/incentive/subject.txt")]
pub struct IncentiveSubject<'a> {
    pub m: &'a IncentiveEmail,
}

#[derive(Template)]
#[template(path = "email/incentive/text.txt")]
pub struct IncentiveText<'a> {
    pub m: &'a IncentiveEmail,
}

#[derive(Template)]
#[template(path = "email/incentive/html.html")]
pub struct IncentiveHtml<'a> {
    pub m: &'a IncentiveEmail,
}

crate::mail_template!(
    IncentiveEmail,
    IncentiveSubject,
    IncentiveText,
    IncentiveHtml
);
