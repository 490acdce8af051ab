//! The mails that tell their reader one step of a process — a cooperation application, an
//! order's 代付, an invoice request, an incentive — share one layout
//! (`templates/email/step/`) and one wording scheme: `mail.<area>.<step>.subject` and `.body`
//! filled with the mail's fields, a reason line `mail.<area>.reason` when there is a reason,
//! and the button `mail.<area>.button` linking to the reader's page.

use askama::Template;

use crate::i18n::Lang;
use crate::mail::RenderedMail;

pub struct StepWords<'a> {
    pub lang: Lang,
    pub area: &'static str,
    pub step: &'a str,
}

impl StepWords<'_> {
    /// `part` is `subject` or `body`.
    fn text(&self, part: &str, fields: &[(&str, &str)]) -> String {
        self.lang
            .tf(&format!("mail.{}.{}.{part}", self.area, self.step), fields)
    }

    /// Empty when there is no reason.
    fn reason_line(&self, reason: &str) -> String {
        if reason.is_empty() {
            String::new()
        } else {
            self.lang
                .tf(&format!("mail.{}.reason", self.area), &[("reason", reason)])
        }
    }

    /// The mail of this step: its texts filled with `fields`, the reason (if any) and the
    /// button to `link`.
    pub fn render(
        &self,
        fields: &[(&str, &str)],
        reason: &str,
        link: &str,
    ) -> Result<RenderedMail, askama::Error> {
        let m = StepMail {
            lang: self.lang,
            subject: self.text("subject", fields),
            body: self.text("body", fields),
            reason_line: self.reason_line(reason),
            button: self.lang.t(&format!("mail.{}.button", self.area)),
            link,
        };
        Ok(RenderedMail::new(
            &StepSubject { m: &m }.render()?,
            StepText { m: &m }.render()?,
            StepHtml { m: &m }.render()?,
        ))
    }
}

/// What the step layout shows, already in the reader's language.
struct StepMail<'a> {
    lang: Lang,
    subject: String,
    body: String,
    /// Empty when there is no reason.
    reason_line: String,
    button: String,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "email/step/subject.txt")]
struct StepSubject<'a> {
    m: &'a StepMail<'a>,
}

#[derive(Template)]
#[template(path = "email/step/text.txt")]
struct StepText<'a> {
    m: &'a StepMail<'a>,
}

#[derive(Template)]
#[template(path = "email/step/html.html")]
struct StepHtml<'a> {
    m: &'a StepMail<'a>,
}
