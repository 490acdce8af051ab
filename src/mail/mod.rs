//! Mail (rule X2): messages are rendered from askama templates, written to the outbox in the
//! caller's transaction, and delivered by the worker over SMTP (or to `.eml` files).

pub mod account;
pub mod application;
pub mod incentive;
pub mod invitation;
pub mod invoice;
pub mod order;
pub mod outbox;
pub mod step;
pub mod test_message;
pub mod transport;
pub mod worker;

/// A message ready to send: the same parts the preview shows and the worker delivers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl RenderedMail {
    /// The parts of a mail as its templates rendered them; the subject on one line (a header
    /// cannot break).
    pub fn new(subject: &str, text: String, html: String) -> Self {
        RenderedMail {
            subject: subject.trim().replace(['\r', '\n'], " "),
            text,
            html,
        }
    }
}

/// A mail template: three askama templates under `templates/email/<name>/`.
pub trait MailTemplate {
    fn render_mail(&self) -> Result<RenderedMail, askama::Error>;
}

/// Implements `MailTemplate` for a data struct from its subject, text and HTML template structs,
/// each of which holds the data as `m`.
#[macro_export]
macro_rules! mail_template {
    ($data:ty, $subject:ident, $text:ident, $html:ident) => {
        impl $crate::mail::MailTemplate for $data {
            fn render_mail(&self) -> Result<$crate::mail::RenderedMail, askama::Error> {
                use askama::Template;
                Ok($crate::mail::RenderedMail::new(
                    &$subject { m: self }.render()?,
                    $text { m: self }.render()?,
                    $html { m: self }.render()?,
                ))
            }
        }
    };
}
