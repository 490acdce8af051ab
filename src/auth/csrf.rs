//! CSRF protection (SPEC §4): a per-session synchronizer token that every state-changing
//! request must carry, as the form field `csrf_token`, the `X-CSRF-Token` header, or (for
//! multipart uploads) the `csrf_token` query parameter. Checked in one middleware, so no
//! handler can forget it. The key-authenticated JSON API (`/api/`) is exempt.

use actix_session::{Session, SessionExt};
use actix_web::HttpMessage;
use actix_web::ResponseError;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use futures_util::StreamExt;
use subtle::ConstantTimeEq;

use crate::error::AppError;

pub const FIELD: &str = "csrf_token";
const SESSION_KEY: &str = "csrf";
const HEADER: &str = "x-csrf-token";
/// Plain forms are small; anything larger is refused before it is buffered.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// The session's token, created on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(SESSION_KEY) {
        return t;
    }
    let t = super::tokens::random_code(43);
    let _ = session.insert(SESSION_KEY, &t);
    t
}

/// A new token after sign-in, so a token seen before sign-in is worth nothing after it.
pub fn rotate(session: &Session) -> String {
    session.remove(SESSION_KEY);
    token(session)
}

/// A percent-encoded (or raw) NUL byte in URL-encoded text.
fn has_nul(encoded: &[u8]) -> bool {
    encoded.contains(&0) || encoded.windows(3).any(|w| w == b"%00")
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn form_field(body: &[u8]) -> Option<String> {
    form_urlencoded_pairs(body)
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
}

fn form_urlencoded_pairs(body: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .unwrap_or_default()
        .into_iter()
}

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, actix_web::Error> {
    // No text in the product may hold a NUL byte (PostgreSQL refuses them). In a query string
    // (filters, cursors) they are dropped, so a mangled link still opens its list; a form
    // carrying one is refused below, so nothing typed is silently changed.
    if has_nul(req.query_string().as_bytes()) {
        let cleaned = format!("{}?{}", req.path(), req.query_string().replace("%00", ""));
        match cleaned.parse() {
            Ok(uri) => req.head_mut().uri = uri,
            Err(_) => {
                let refused = AppError::BadRequest("malformed query".into());
                return Ok(req
                    .into_response(refused.error_response())
                    .map_into_right_body());
            }
        }
    }
    if is_safe(req.method()) || req.path().starts_with("/api/") {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let expected: Option<String> = req.get_session().get::<String>(SESSION_KEY).ok().flatten();
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut submitted = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if submitted.is_none() && content_type.starts_with("application/x-www-form-urlencoded") {
        match read_body(&mut req).await {
            Ok(body) if has_nul(&body) => {
                let refused = AppError::BadRequest("NUL byte in the form".into());
                return Ok(req
                    .into_response(refused.error_response())
                    .map_into_right_body());
            }
            Ok(body) => {
                submitted = form_field(&body);
                req.set_payload(Payload::from(body));
            }
            Err(e) => return Ok(req.into_response(e.error_response()).map_into_right_body()),
        }
    }
    if submitted.is_none() && content_type.starts_with("multipart/form-data") {
        submitted = form_urlencoded_pairs(req.query_string().as_bytes())
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v);
    }
    let valid = match (expected, submitted) {
        (Some(e), Some(s)) => !e.is_empty() && bool::from(e.as_bytes().ct_eq(s.as_bytes())),
        _ => false,
    };
    if !valid {
        tracing::warn!(path = %req.path(), "request refused: missing or wrong CSRF token");
        return Ok(req
            .into_response(AppError::Csrf.error_response())
            .map_into_right_body());
    }
    Ok(next.call(req).await?.map_into_left_body())
}

async fn read_body(req: &mut ServiceRequest) -> Result<Bytes, AppError> {
    let mut payload = req.take_payload();
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
        if body.len() + chunk.len() > MAX_FORM_BYTES {
            return Err(AppError::BadRequest("form too large".into()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
