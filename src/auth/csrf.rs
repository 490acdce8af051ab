//! CSRF protection (SPEC §4): a per-session synchronizer token that every state-changing
//! request must carry, as the form field `csrf_token`, the `X-CSRF-Token` header, or (for
//! multipart uploads) the `csrf_token` query parameter. Checked in one middleware, so no
//! handler can forget it. The key-authenticated JSON API (`/api/`) is exempt. The secret stays
//! in the session; every page carries it masked with a fresh random pad, and the check unmasks.
//!
//! The same middleware keeps control characters out of every query string and URL-encoded
//! form, as they read after percent-decoding.

use actix_session::{Session, SessionExt};
use actix_web::HttpMessage;
use actix_web::ResponseError;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_util::StreamExt;
use rand::RngCore;
use subtle::ConstantTimeEq;

use crate::error::AppError;

pub const FIELD: &str = "csrf_token";
const SESSION_KEY: &str = "csrf";
const HEADER: &str = "x-csrf-token";
/// Plain forms are small; anything larger is refused before it is buffered.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// The session's secret, created on first use. It never leaves the server as it is: pages get
/// `token()`, a fresh masking of it.
fn secret(session: &Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(SESSION_KEY) {
        return t;
    }
    let t = super::tokens::random_code(43);
    let _ = session.insert(SESSION_KEY, &t);
    t
}

/// The token for one page: the session's secret masked with a new random pad, so that no
/// two responses carry the same token string. Reflected input next to a constant secret
/// under compression would let an observer of response sizes guess it byte by byte (BREACH).
pub fn token(session: &Session) -> String {
    mask(secret(session).as_bytes())
}

/// A new secret after sign-in, so a token seen before sign-in is worth nothing after it.
pub fn rotate(session: &Session) -> String {
    session.remove(SESSION_KEY);
    token(session)
}

/// `base64url(pad || secret XOR pad)` with a pad as long as the secret.
fn mask(secret: &[u8]) -> String {
    let mut pad = vec![0u8; secret.len()];
    rand::rngs::OsRng.fill_bytes(&mut pad);
    let masked: Vec<u8> = secret.iter().zip(&pad).map(|(s, p)| s ^ p).collect();
    pad.extend_from_slice(&masked);
    URL_SAFE_NO_PAD.encode(pad)
}

/// The secret inside a submitted token; `None` when it is not one of ours in shape.
fn unmask(token: &str) -> Option<Vec<u8>> {
    let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
    if bytes.is_empty() || bytes.len() % 2 != 0 {
        return None;
    }
    let (pad, masked) = bytes.split_at(bytes.len() / 2);
    Some(masked.iter().zip(pad).map(|(m, p)| m ^ p).collect())
}

/// Whether a submitted token carries the session's secret, compared in constant time.
fn matches(expected: &str, submitted: &str) -> bool {
    match unmask(submitted) {
        Some(secret) => !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(&secret)),
        None => false,
    }
}

/// Characters no text of the product may hold: NUL (PostgreSQL refuses it) and the other
/// control characters, except the tab and line breaks that text areas send.
fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether URL-encoded text holds a forbidden control character once percent-decoded, in a
/// name or a value. Decoding first is what matters: `%%0000` only becomes `%00` after a naive
/// one-pass filter, and a NUL after decoding.
fn has_forbidden_control(encoded: &[u8]) -> bool {
    form_urlencoded_pairs(encoded)
        .any(|(k, v)| k.chars().any(is_forbidden_control) || v.chars().any(is_forbidden_control))
}

/// The query string with forbidden control characters removed from every decoded name and
/// value, re-encoded.
fn query_without_controls(query: &str) -> String {
    let pairs: Vec<(String, String)> = form_urlencoded_pairs(query.as_bytes())
        .map(|(k, v)| {
            (
                k.chars().filter(|c| !is_forbidden_control(*c)).collect(),
                v.chars().filter(|c| !is_forbidden_control(*c)).collect(),
            )
        })
        .collect();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
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
    // No text in the product may hold a NUL or another control character (PostgreSQL refuses
    // NUL). In a query string (filters, cursors) they are dropped after decoding, so a mangled
    // link still opens its list; a URL-encoded form carrying one is refused with 400, so
    // nothing typed is silently changed. This runs for every path and method.
    if has_forbidden_control(req.query_string().as_bytes()) {
        let cleaned = query_without_controls(req.query_string());
        let uri = if cleaned.is_empty() {
            req.path().to_string()
        } else {
            format!("{}?{cleaned}", req.path())
        };
        match uri.parse() {
            Ok(uri) => req.head_mut().uri = uri,
            Err(_) => {
                let refused = AppError::BadRequest("malformed query".into());
                return Ok(req
                    .into_response(refused.error_response())
                    .map_into_right_body());
            }
        }
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut form_token = None;
    if !is_safe(req.method()) && content_type.starts_with("application/x-www-form-urlencoded") {
        match read_body(&mut req).await {
            Ok(body) if has_forbidden_control(&body) => {
                let refused = AppError::BadRequest("control character in the form".into());
                return Ok(req
                    .into_response(refused.error_response())
                    .map_into_right_body());
            }
            Ok(body) => {
                form_token = form_field(&body);
                req.set_payload(Payload::from(body));
            }
            Err(e) => return Ok(req.into_response(e.error_response()).map_into_right_body()),
        }
    }
    if is_safe(req.method()) || req.path().starts_with("/api/") {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let expected: Option<String> = req.get_session().get::<String>(SESSION_KEY).ok().flatten();
    let mut submitted = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or(form_token);
    if submitted.is_none() && content_type.starts_with("multipart/form-data") {
        submitted = form_urlencoded_pairs(req.query_string().as_bytes())
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v);
    }
    let valid = match (expected, submitted) {
        (Some(e), Some(s)) => matches(&e, &s),
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

#[cfg(test)]
mod tests {
    use super::*;

    // SPEC §4 CSRF token on every form, masked per response against BREACH.
    #[test]
    fn every_masking_differs_and_unmasks_to_the_secret() {
        let secret = "k3Y-secret_of_the_session_43_characters_lon";
        let (a, b) = (mask(secret.as_bytes()), mask(secret.as_bytes()));
        assert_ne!(a, b);
        assert!(!a.contains(secret) && a.len() > secret.len());
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert!(matches(secret, &a) && matches(secret, &b));
        assert!(!matches("another secret of the same length, 43 chars", &a));
    }

    #[test]
    fn the_bare_secret_and_malformed_tokens_are_refused() {
        let secret = "k3Y-secret_of_the_session_43_characters_lon";
        for forged in [secret, "", "forged-token", "!!!", "AA", &mask(b"short")] {
            assert!(!matches(secret, forged), "{forged}");
        }
        assert!(!matches("", &mask(b"")));
    }

    // SPEC §4 "no input produces a 500": controls are found after percent-decoding.
    #[test]
    fn controls_are_found_after_decoding_not_before() {
        for q in [
            "q=%00", "q=%%0000", "q=a%00b", "q=%01", "%00=x", "q=%7F", "q=%C2%80",
        ] {
            assert!(has_forbidden_control(q.as_bytes()), "{q}");
            assert!(
                !has_forbidden_control(query_without_controls(q).as_bytes()),
                "{q}"
            );
        }
        for q in [
            "q=acme",
            "q=%25",
            "q=line%0Aone%0D%0A%09tab",
            "after=abc&size=20",
            "",
        ] {
            assert!(!has_forbidden_control(q.as_bytes()), "{q}");
        }
        assert_eq!(query_without_controls("q=%%0000"), "q=%2500");
        assert_eq!(query_without_controls("q=a%00b&size=20"), "q=ab&size=20");
    }
}
