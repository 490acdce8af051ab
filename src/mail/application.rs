//! The mail of each step of a cooperation application (rule R2): received, passed on by the
//! operator, approved or rejected, with the reason when there is one.

use crate::i18n::Lang;
use crate::mail::step::StepWords;

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

impl crate::mail::MailTemplate for ApplicationEmail {
    fn render_mail(&self) -> Result<crate::mail::RenderedMail, askama::Error> {
        StepWords {
            lang: self.lang,
            area: "application",
            step: &self.step,
        }
        .render(
            &[("distributor", &self.distributor)],
            &self.reason,
            &self.link,
        )
    }
}
