//! The signed-in person, kept in the session, and the guards handlers take as arguments:
//! `Member` (partner staff), `CustomerUser`, `Operator`. A handler that takes one of them
//! can only run for that audience; anonymous visitors are sent to /login and back.

use std::future::{Ready, ready};

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::domain::{Audience, OrgKind, Role};
use crate::error::AppError;
use crate::startup::AppState;

const SESSION_KEY: &str = "who";
/// How often the idle clock is written back; reads in between cost no session write.
const TOUCH_EVERY_SECS: i64 = 60;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Who {
    pub user_id: i64,
    pub audience: Audience,
    pub email: String,
    pub name: String,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub org_kind: Option<OrgKind>,
    pub role: Option<Role>,
    pub customer_id: Option<i64>,
    /// Unix seconds of sign-in (absolute timeout) and of the last request (idle timeout).
    pub since: i64,
    pub seen: i64,
}

impl Who {
    pub fn store(&self, session: &Session) -> Result<(), AppError> {
        session
            .insert(SESSION_KEY, self)
            .map_err(|e| AppError::internal(format!("session: {e}")))
    }

    /// Reads the identity, ending the session when it is idle or too old.
    /// Guards, the page context and the audit actor all ask; the session is read once per
    /// request and the answer kept in the request's extensions.
    pub fn current(req: &HttpRequest) -> Option<Who> {
        if let Some(Resolved(who)) = req.extensions().get::<Resolved>() {
            return who.clone();
        }
        let who = Who::resolve(req);
        req.extensions_mut().insert(Resolved(who.clone()));
        who
    }

    fn resolve(req: &HttpRequest) -> Option<Who> {
        let session = req.get_session();
        let mut who: Who = session.get(SESSION_KEY).ok().flatten()?;
        let state = req.app_data::<web::Data<AppState>>()?;
        let now = Utc::now().timestamp();
        let idle = now - who.seen > state.settings.session_idle.as_secs() as i64;
        let too_old = now - who.since > state.settings.session_max.as_secs() as i64;
        if idle || too_old {
            session.purge();
            return None;
        }
        if now - who.seen > TOUCH_EVERY_SECS {
            who.seen = now;
            let _ = who.store(&session);
        }
        Some(who)
    }
}

/// This request's answer to "who is signed in", once worked out.
#[derive(Clone)]
struct Resolved(Option<Who>);

fn sign_in_required(req: &HttpRequest) -> AppError {
    let next = match req.query_string() {
        "" => req.path().to_string(),
        q => format!("{}?{q}", req.path()),
    };
    AppError::SignIn { next }
}

impl FromRequest for Who {
    type Error = AppError;
    type Future = Ready<Result<Who, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Who::current(req).ok_or_else(|| sign_in_required(req)))
    }
}

fn for_audience(req: &HttpRequest, audience: Audience) -> Result<Who, AppError> {
    let who = Who::current(req).ok_or_else(|| sign_in_required(req))?;
    if who.audience != audience {
        return Err(AppError::Forbidden);
    }
    Ok(who)
}

/// A member of a partner organisation. Everything a member reads is scoped by `org_id`
/// and, for customer managers, by `user_id`.
#[derive(Clone, Debug)]
pub struct Member {
    pub who: Who,
    pub user_id: i64,
    pub org_id: i64,
    pub org_kind: OrgKind,
    pub role: Role,
}

impl Member {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Assignment is admin and supervisor work (SPEC §5 "Roles").
    pub fn require_assigner(&self) -> Result<(), AppError> {
        if matches!(self.role, Role::Admin | Role::Supervisor) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl FromRequest for Member {
    type Error = AppError;
    type Future = Ready<Result<Member, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(for_audience(req, Audience::Partner).and_then(|who| {
            match (who.org_id, who.org_kind, who.role) {
                (Some(org_id), Some(org_kind), Some(role)) => Ok(Member {
                    user_id: who.user_id,
                    org_id,
                    org_kind,
                    role,
                    who,
                }),
                _ => Err(AppError::Forbidden),
            }
        }))
    }
}

#[derive(Clone, Debug)]
pub struct CustomerUser {
    pub who: Who,
    pub user_id: i64,
    pub customer_id: i64,
}

impl FromRequest for CustomerUser {
    type Error = AppError;
    type Future = Ready<Result<CustomerUser, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            for_audience(req, Audience::Customer).and_then(|who| match who.customer_id {
                Some(customer_id) => Ok(CustomerUser {
                    user_id: who.user_id,
                    customer_id,
                    who,
                }),
                None => Err(AppError::Forbidden),
            }),
        )
    }
}

#[derive(Clone, Debug)]
pub struct Operator {
    pub who: Who,
    pub user_id: i64,
}

impl FromRequest for Operator {
    type Error = AppError;
    type Future = Ready<Result<Operator, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(for_audience(req, Audience::Operator).map(|who| Operator {
            user_id: who.user_id,
            who,
        }))
    }
}
