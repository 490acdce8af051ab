//! The URL map (SPEC §3): one module per area, each registering its own paths.

pub mod auth;
pub mod fee_center;
pub mod health;
pub mod ops;
pub mod partner;
pub mod public;

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};

use crate::audit::Actor;
use crate::auth::identity::Who;
use crate::error::AppError;
use crate::views::RequestId;

pub fn configure(cfg: &mut web::ServiceConfig) {
    health::configure(cfg);
    auth::configure(cfg);
    partner::configure(cfg);
    public::configure(cfg);
    fee_center::configure(cfg);
    ops::configure(cfg);
}

/// Who is acting, from where, in which request: everything an audit row needs.
impl FromRequest for Actor {
    type Error = AppError;
    type Future = Ready<Result<Actor, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(actor_of(req)))
    }
}

pub fn actor_of(req: &HttpRequest) -> Actor {
    let who = Who::current(req);
    Actor {
        user_id: who.as_ref().map(|w| w.user_id),
        email: who.as_ref().map(|w| w.email.clone()).unwrap_or_default(),
        org_id: who.as_ref().and_then(|w| w.org_id),
        request_id: req
            .extensions()
            .get::<RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default(),
        client_ip: req
            .peer_addr()
            .map(|a| a.ip().to_string())
            .unwrap_or_default(),
    }
}

/// The `after` cursor of keyset-paged lists: a positive id, anything else starts over.
pub fn cursor_id(after: &Option<String>) -> Option<i64> {
    after
        .as_deref()
        .and_then(|a| a.parse::<i64>().ok())
        .filter(|id| *id > 0)
}
