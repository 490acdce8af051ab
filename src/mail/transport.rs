//! Where mail goes: an SMTP server (`PC_SMTP_URL`) or `.eml` files in `PC_MAIL_DIR`.

use std::path::PathBuf;

use anyhow::Context;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::outbox::OutboxMessage;

#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl Transport {
    pub fn from_settings(smtp_url: Option<&str>, mail_dir: &str) -> anyhow::Result<Transport> {
        match smtp_url {
            Some(url) => {
                let t = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .with_context(|| {
                        format!("PC_SMTP_URL '{url}' is not a valid smtp:// or smtps:// URL")
                    })?
                    .timeout(Some(std::time::Duration::from_secs(20)))
                    .build();
                Ok(Transport::Smtp(t))
            }
            None => {
                std::fs::create_dir_all(mail_dir)
                    .with_context(|| format!("creating {mail_dir}"))?;
                Ok(Transport::Files(PathBuf::from(mail_dir)))
            }
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp(_) => "SMTP".to_string(),
            Transport::Files(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    pub async fn send(&self, from: &Mailbox, msg: &OutboxMessage) -> anyhow::Result<()> {
        let email = build(from, msg)?;
        match self {
            Transport::Smtp(smtp) => {
                smtp.send(email).await.context("SMTP delivery")?;
            }
            Transport::Files(dir) => {
                let path = dir.join(file_name(msg.id));
                tokio::fs::write(&path, email.formatted())
                    .await
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
        Ok(())
    }
}

pub fn file_name(outbox_id: i64) -> String {
    format!("{outbox_id:08}.eml")
}

fn build(from: &Mailbox, msg: &OutboxMessage) -> anyhow::Result<Message> {
    let to: Mailbox = msg.to_addr.parse().context("recipient address")?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&msg.subject)
        .message_id(Some(format!("<outbox-{}@partner-center>", msg.id)))
        .multipart(MultiPart::alternative_plain_html(
            msg.text_body.clone(),
            msg.html_body.clone(),
        ))
        .context("building message")
}
