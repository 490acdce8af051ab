//! The mail of payment on behalf (代付, rule P2): the partner's admins are asked to pay an
//! order; the customer is told that its partner paid it or rejected the request (with the
//! reason). Each goes out in its reader's language.

use askama::Template;

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

impl OrderEmail {
    fn words(&self) -> StepWords<'_> {
        StepWords {
            lang: self.lang,
            area: "order",
            step: self.step,
        }
    }

    fn text(&self, part: &str) -> String {
        self.words().text(
            part,
            &[
                ("order", &self.order_id.to_string()),
                ("product", &self.product),
                ("amount", &self.amount),
                ("company", &self.company),
                ("partner", &self.partner),
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
#[template(path = "email/order/subject.txt")]
pub struct OrderSubject<'a> {
    pub m: &'a OrderEmail,
}

#[derive(Template)]
#[template(path = "email/order/text.txt")]
pub struct OrderText<'a> {
    pub m: &'a OrderEmail,
}

#[derive(Template)]
#[template(path = "email/order/html.html")]
pub struct OrderHtml<'a> {
    pub m: &'a OrderEmail,
}

crate::mail_template!(OrderEmail, OrderSubject, OrderText, OrderHtml);
