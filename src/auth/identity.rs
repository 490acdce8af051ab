//! The signed-in person, kept in the session, and the guards handlers take as arguments:
//! `Member` (partner staff), `CustomerUser`, `Operator`. A handler that takes one of them
//! can only run for that audience; anonymous visitors are sent to /login and back.

use std::future::{Ready, ready};

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::domain::{
    Audience, Caller, CustomerId, MemberOf, OrgId, OrgKind, Party, RequestMeta, Role, SignedIn,
    UserId,
};
use crate::error::AppError;
use crate::state::AppState;
use crate::telemetry::RequestId;

/// Where the signed-in identity lives in the session state.
pub const SESSION_KEY: &str = "who";
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
    /// Starts a signed-in session for a person just authenticated, under a fresh session id
    /// and a fresh CSRF token (rule A1).
    pub fn start(session: &Session, signed_in: &SignedIn) -> Result<Who, AppError> {
        let now = Utc::now().timestamp();
        let who = Who {
            user_id: signed_in.user_id.get(),
            audience: signed_in.audience,
            email: signed_in.email.clone(),
            name: signed_in.name.clone(),
            org_id: signed_in.org_id.map(OrgId::get),
            org_name: signed_in.org_name.clone(),
            org_kind: signed_in.org_kind,
            role: signed_in.role,
            customer_id: signed_in.customer_id.map(CustomerId::get),
            since: now,
            seen: now,
        };
        session.renew();
        who.store(session)?;
        crate::auth::csrf::rotate(session);
        Ok(who)
    }

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

/// Who acts on this request, for the services: the signed-in person (or an anonymous
/// visitor) with the request id and address the audit row records.
pub fn caller_of(req: &HttpRequest) -> Caller {
    let meta = RequestMeta {
        request_id: req
            .extensions()
            .get::<RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default(),
        client_ip: req
            .peer_addr()
            .map(|a| a.ip().to_string())
            .unwrap_or_default(),
    };
    match Who::current(req) {
        Some(who) => Caller {
            party: who.party(),
            email: who.email,
            name: who.name,
            meta,
        },
        None => Caller::anonymous(meta),
    }
}

impl Who {
    /// The party this identity acts as; an identity missing its organisation or customer
    /// (never written so) acts as an anonymous visitor.
    pub fn party(&self) -> Party {
        match self.audience {
            Audience::Partner => match (self.org_id, self.org_kind, self.role) {
                (Some(org_id), Some(org_kind), Some(role)) => Party::Member(MemberOf {
                    user_id: UserId(self.user_id),
                    org_id: OrgId(org_id),
                    org_kind,
                    role,
                }),
                _ => Party::Anonymous,
            },
            Audience::Customer => match self.customer_id {
                Some(customer_id) => Party::Customer {
                    user_id: UserId(self.user_id),
                    customer_id: CustomerId(customer_id),
                },
                None => Party::Anonymous,
            },
            Audience::Operator => Party::Operator {
                user_id: UserId(self.user_id),
            },
        }
    }
}

impl FromRequest for Caller {
    type Error = AppError;
    type Future = Ready<Result<Caller, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(caller_of(req)))
    }
}

/// A member of a partner organisation; the handler's guard. `caller` is what it hands to
/// the services; the member's organisation and role read through to `MemberOf`.
#[derive(Clone, Debug)]
pub struct Member {
    pub who: Who,
    pub of: MemberOf,
    pub caller: Caller,
}

impl std::ops::Deref for Member {
    type Target = MemberOf;

    fn deref(&self) -> &MemberOf {
        &self.of
    }
}

impl FromRequest for Member {
    type Error = AppError;
    type Future = Ready<Result<Member, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(for_audience(req, Audience::Partner).and_then(|who| {
            let caller = caller_of(req);
            match caller.party {
                Party::Member(of) => Ok(Member { who, of, caller }),
                _ => Err(AppError::Forbidden),
            }
        }))
    }
}

/// A signed-in customer user of the fee center.
#[derive(Clone, Debug)]
pub struct CustomerUser {
    pub who: Who,
    pub customer_id: CustomerId,
    pub caller: Caller,
}

impl FromRequest for CustomerUser {
    type Error = AppError;
    type Future = Ready<Result<CustomerUser, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(for_audience(req, Audience::Customer).and_then(|who| {
            let caller = caller_of(req);
            match caller.party {
                Party::Customer { customer_id, .. } => Ok(CustomerUser {
                    who,
                    customer_id,
                    caller,
                }),
                _ => Err(AppError::Forbidden),
            }
        }))
    }
}

/// A platform operator.
#[derive(Clone, Debug)]
pub struct Operator {
    pub who: Who,
    pub user_id: UserId,
    pub caller: Caller,
}

impl FromRequest for Operator {
    type Error = AppError;
    type Future = Ready<Result<Operator, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(for_audience(req, Audience::Operator).map(|who| Operator {
            user_id: UserId(who.user_id),
            caller: caller_of(req),
            who,
        }))
    }
}
