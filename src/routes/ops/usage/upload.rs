//! Receiving a usage file (rule B2): the multipart body is streamed to a temporary file a
//! megabyte at a time, written off the async workers, never held whole in memory; only the
//! `file` field is kept (SPEC §5: every bulk upload's file field is `file`).

use std::io::Write;
use std::path::PathBuf;

use actix_multipart::Multipart;
use actix_web::{HttpRequest, web};
use futures_util::StreamExt;

/// The largest usage file accepted (about 15M lines).
pub const MAX_BYTES: u64 = 1024 * 1024 * 1024;
/// Written to disk whenever this much has arrived.
const FLUSH_BYTES: usize = 1024 * 1024;

/// A file that arrived: its name as the browser sent it, where it is, how long it is.
pub struct Received {
    pub name: String,
    pub path: PathBuf,
    pub size: u64,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Problem {
    NoFile,
    TooLarge,
    Malformed,
}

impl Problem {
    pub fn key(&self) -> &'static str {
        match self {
            Problem::NoFile => "usage.file.choose",
            Problem::TooLarge => "usage.file.too_large",
            Problem::Malformed => "usage.file.unreadable_upload",
        }
    }
}

/// Appends `bytes` to the file off the async workers; gives the file back.
async fn write(file: std::fs::File, bytes: Vec<u8>) -> Result<std::fs::File, Problem> {
    web::block(move || {
        let mut file = file;
        file.write_all(&bytes).map(|_| file)
    })
    .await
    .map_err(|_| Problem::Malformed)?
    .map_err(|_| Problem::Malformed)
}

/// Streams the `file` field to a new temporary file.
pub async fn receive(req: &HttpRequest, payload: web::Payload) -> Result<Received, Problem> {
    let mut multipart = Multipart::new(req.headers(), payload);
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|_| Problem::Malformed)?;
        if field.name() != Some("file") {
            while let Some(chunk) = field.next().await {
                chunk.map_err(|_| Problem::Malformed)?;
            }
            continue;
        }
        let name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .unwrap_or("usage.csv")
            .chars()
            .take(255)
            .collect::<String>();
        let path = std::env::temp_dir().join(format!("pc-usage-{}.csv", uuid::Uuid::new_v4()));
        let target = path.clone();
        let mut file = web::block(move || std::fs::File::create(target))
            .await
            .map_err(|_| Problem::Malformed)?
            .map_err(|_| Problem::Malformed)?;
        let (mut size, mut buffer) = (0u64, Vec::with_capacity(FLUSH_BYTES));
        let outcome: Result<(), Problem> = async {
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(|_| Problem::Malformed)?;
                size += chunk.len() as u64;
                if size > MAX_BYTES {
                    return Err(Problem::TooLarge);
                }
                buffer.extend_from_slice(&chunk);
                if buffer.len() >= FLUSH_BYTES {
                    let full = std::mem::replace(&mut buffer, Vec::with_capacity(FLUSH_BYTES));
                    file = write(file, full).await?;
                }
            }
            write(file, buffer).await.map(|_| ())
        }
        .await;
        if let Err(p) = outcome {
            let _ = std::fs::remove_file(&path);
            return Err(p);
        }
        return Ok(Received { name, path, size });
    }
    Err(Problem::NoFile)
}
