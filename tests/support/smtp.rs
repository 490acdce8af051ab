//! A real SMTP listener on 127.0.0.1 that accepts every message and keeps it for assertions.
//! Just enough of RFC 5321 for lettre: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpSocket};

/// Ports handed out by `free_port`, bound but not listening until `start_listening`: a bound
/// port is neither given to another test's listener nor used as a connection's source port,
/// however long the test takes to get there, and connecting to it is refused meanwhile.
static HELD: Mutex<Option<HashMap<u16, TcpSocket>>> = Mutex::new(None);

#[derive(Clone, Debug)]
pub struct Captured {
    pub to: Vec<String>,
    pub raw: Vec<u8>,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Captured {
    fn parse(to: Vec<String>, raw: Vec<u8>) -> Captured {
        let parsed = mail_parser::MessageParser::default()
            .parse(&raw)
            .expect("a parsable message");
        Captured {
            subject: parsed.subject().unwrap_or_default().to_string(),
            text: parsed
                .body_text(0)
                .map(|t| t.to_string())
                .unwrap_or_default(),
            html: parsed
                .body_html(0)
                .map(|t| t.to_string())
                .unwrap_or_default(),
            to,
            raw,
        }
    }

    /// The first link in the text part that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> Option<String> {
        let start = self.text.find(prefix)?;
        let end = self.text[start..]
            .find(|c: char| c.is_whitespace())
            .map_or(self.text.len(), |e| start + e);
        Some(self.text[start..end].to_string())
    }
}

#[derive(Clone)]
pub struct MailServer {
    pub port: u16,
    messages: Arc<Mutex<Vec<Captured>>>,
}

impl MailServer {
    pub async fn start() -> MailServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP");
        let port = listener.local_addr().unwrap().port();
        let server = MailServer {
            port,
            messages: Arc::default(),
        };
        server.serve(listener);
        server
    }

    /// A port nothing listens on yet, for testing delivery while the mail server is down; it
    /// stays reserved for this test until `start_listening`.
    pub async fn free_port() -> u16 {
        let socket = TcpSocket::new_v4().expect("socket");
        socket
            .bind(([127, 0, 0, 1], 0).into())
            .expect("bind a free port");
        let port = socket.local_addr().unwrap().port();
        HELD.lock()
            .unwrap()
            .get_or_insert_with(HashMap::new)
            .insert(port, socket);
        port
    }

    pub fn unstarted(port: u16) -> MailServer {
        MailServer {
            port,
            messages: Arc::default(),
        }
    }

    /// Starts listening on this server's port (after `unstarted`).
    pub async fn start_listening(&self) {
        let held = HELD
            .lock()
            .unwrap()
            .get_or_insert_with(HashMap::new)
            .remove(&self.port);
        let listener = match held {
            Some(socket) => socket.listen(128).expect("listen on the SMTP port"),
            None => TcpListener::bind(("127.0.0.1", self.port))
                .await
                .expect("bind SMTP port"),
        };
        self.serve(listener);
    }

    fn serve(&self, listener: TcpListener) {
        let messages = self.messages.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let messages = messages.clone();
                tokio::spawn(async move {
                    let _ = session(socket, messages).await;
                });
            }
        });
    }

    pub fn messages(&self) -> Vec<Captured> {
        self.messages.lock().unwrap().clone()
    }

    /// Waits until `n` messages have arrived (or panics after `secs`).
    pub async fn wait_for(&self, n: usize, secs: u64) -> Vec<Captured> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("expected {n} message(s) within {secs}s, got {}", got.len());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for a message to `to`.
    pub async fn wait_for_to(&self, to: &str, secs: u64) -> Captured {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(m) = self
                .messages()
                .into_iter()
                .rev()
                .find(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(to)))
            {
                return m;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("no message to {to} within {secs}s");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    messages: Arc<Mutex<Vec<Captured>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 test-smtp ready\r\n").await?;
    let mut rcpt: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            write
                .write_all(b"250-test-smtp\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                .await?;
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            write.write_all(b"250 ok\r\n").await?;
        } else if upper.starts_with("MAIL FROM") {
            rcpt.clear();
            write.write_all(b"250 ok\r\n").await?;
        } else if upper.starts_with("RCPT TO") {
            let addr = cmd.split_once(':').map(|(_, a)| {
                a.trim()
                    .trim_start_matches('<')
                    .split('>')
                    .next()
                    .unwrap_or("")
                    .to_string()
            });
            rcpt.push(addr.unwrap_or_default());
            write.write_all(b"250 ok\r\n").await?;
        } else if upper == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut raw = Vec::new();
            loop {
                let mut l = String::new();
                if lines.read_line(&mut l).await? == 0 {
                    return Ok(());
                }
                if l == ".\r\n" || l == ".\n" {
                    break;
                }
                let l = l
                    .strip_prefix('.')
                    .map(str::to_string)
                    .filter(|_| l.starts_with(".."))
                    .unwrap_or(l);
                raw.extend_from_slice(l.as_bytes());
            }
            messages
                .lock()
                .unwrap()
                .push(Captured::parse(std::mem::take(&mut rcpt), raw));
            write.write_all(b"250 queued\r\n").await?;
        } else if upper.starts_with("RSET") {
            rcpt.clear();
            write.write_all(b"250 ok\r\n").await?;
        } else if upper.starts_with("QUIT") {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            write.write_all(b"502 not implemented\r\n").await?;
        }
    }
}
