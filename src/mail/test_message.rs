//! The operator's test message (SPEC §5 "Mail"): proves the SMTP settings end to end.

use askama::Template;

use crate::i18n::Lang;

/// The operator's "send a test message" mail.
pub struct TestMessageEmail {
    pub lang: Lang,
    pub operator: String,
    pub public_url: String,
}

#[derive(Template)]
#[template(path = "email/test_message/subject.txt")]
pub struct TestMessageSubject<'a> {
    pub m: &'a TestMessageEmail,
}

#[derive(Template)]
#[template(path = "email/test_message/text.txt")]
pub struct TestMessageText<'a> {
    pub m: &'a TestMessageEmail,
}

#[derive(Template)]
#[template(path = "email/test_message/html.html")]
pub struct TestMessageHtml<'a> {
    pub m: &'a TestMessageEmail,
}

crate::mail_template!(
    TestMessageEmail,
    TestMessageSubject,
    TestMessageText,
    TestMessageHtml
);
