//! The wording shared by mails that tell their reader one step of a process — an order's
//! 代付, an invoice request, an incentive: `mail.<area>.<step>.subject` and `.body` filled with
//! the mail's fields, a reason line `mail.<area>.reason` when there is a reason, and the
//! button `mail.<area>.button`.

use crate::i18n::Lang;

pub struct StepWords<'a> {
    pub lang: Lang,
    pub area: &'static str,
    pub step: &'a str,
}

impl StepWords<'_> {
    /// `part` is `subject` or `body`.
    pub fn text(&self, part: &str, fields: &[(&str, &str)]) -> String {
        self.lang
            .tf(&format!("mail.{}.{}.{part}", self.area, self.step), fields)
    }

    /// Empty when there is no reason.
    pub fn reason_line(&self, reason: &str) -> String {
        if reason.is_empty() {
            String::new()
        } else {
            self.lang
                .tf(&format!("mail.{}.reason", self.area), &[("reason", reason)])
        }
    }

    pub fn button(&self) -> String {
        self.lang.t(&format!("mail.{}.button", self.area))
    }
}
