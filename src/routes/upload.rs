//! Reading multipart uploads within limits that each route sets next to its path: the whole
//! request body, the number of fields and each field's size. A body over its limit is
//! refused as soon as it is known (from `Content-Length`, else while it streams), so no upload
//! is buffered beyond what its route allows (SPEC §4: no input produces a 500).

use std::cell::Cell;
use std::rc::Rc;

use actix_multipart::Multipart;
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::{HttpRequest, web};
use futures_util::StreamExt;

/// What one route accepts.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The whole request body, multipart framing included.
    pub total_bytes: usize,
    /// Parts in the body, whatever their names.
    pub max_fields: usize,
    /// Any one part's content.
    pub field_bytes: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub enum UploadError {
    /// The body is larger than `total_bytes` (answered with 413).
    TooLarge,
    /// More parts than `max_fields`.
    TooManyFields,
    /// One part is larger than `field_bytes`.
    FieldTooLarge,
    /// Not a multipart body we can read.
    Malformed(String),
}

pub struct Field {
    pub name: String,
    pub content: Vec<u8>,
}

/// Bytes allowed after the limit is known to be exceeded, read and thrown away so that the
/// client, still sending, reads our answer instead of a reset connection. Beyond it the
/// connection is simply closed.
const DRAIN_BYTES: usize = 8 * 1024 * 1024;

/// Reads every part of the upload, or says which limit it broke.
pub async fn read(
    req: &HttpRequest,
    payload: web::Payload,
    limits: Limits,
) -> Result<Vec<Field>, UploadError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.total_bytes as u64) {
        drain(payload, declared).await;
        return Err(UploadError::TooLarge);
    }
    let over = Rc::new(Cell::new(false));
    let mut seen = 0usize;
    let flag = over.clone();
    let limited = payload.map(move |chunk| {
        let chunk = chunk?;
        seen += chunk.len();
        if seen > limits.total_bytes {
            flag.set(true);
            return Err(PayloadError::Overflow);
        }
        Ok(chunk)
    });
    let mut multipart = Multipart::new(req.headers(), limited);
    let outcome = read_parts(&mut multipart, limits).await;
    if over.get() {
        return Err(UploadError::TooLarge);
    }
    outcome
}

async fn read_parts(multipart: &mut Multipart, limits: Limits) -> Result<Vec<Field>, UploadError> {
    let mut fields = Vec::new();
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|e| UploadError::Malformed(e.to_string()))?;
        if fields.len() == limits.max_fields {
            return Err(UploadError::TooManyFields);
        }
        let name = field.name().unwrap_or("").to_string();
        let mut content = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| UploadError::Malformed(e.to_string()))?;
            if content.len() + chunk.len() > limits.field_bytes {
                return Err(UploadError::FieldTooLarge);
            }
            content.extend_from_slice(&chunk);
        }
        fields.push(Field { name, content });
    }
    Ok(fields)
}

/// Reads and drops a refused body up to `DRAIN_BYTES`, when it is declared to fit in it.
async fn drain(mut payload: web::Payload, declared: Option<u64>) {
    if declared.is_some_and(|n| n > DRAIN_BYTES as u64) {
        return;
    }
    let mut seen = 0usize;
    while let Some(Ok(chunk)) = payload.next().await {
        seen += chunk.len();
        if seen > DRAIN_BYTES {
            return;
        }
    }
}
