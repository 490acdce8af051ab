//! What users see when something goes wrong. Every handler returns `Result<_, AppError>`;
//! the error page middleware renders the full page in the user's language.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

use crate::ledger::LedgerError;
use crate::services::ServiceError;

/// Marks a response whose body should be replaced by the friendly error page.
#[derive(Clone, Copy, Debug)]
pub struct ErrorPage;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("the form has expired")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests")]
    TooManyRequests,
    #[error("sign-in required")]
    SignIn { next: String },
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(msg: impl Into<String>) -> Self {
        AppError::Internal(msg.into())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            other => AppError::Internal(format!("database: {other}")),
        }
    }
}

impl From<crate::db::DbError> for AppError {
    fn from(e: crate::db::DbError) -> Self {
        match e {
            crate::db::DbError::Query(q) => q.into(),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<crate::domain::Forbidden> for AppError {
    fn from(_: crate::domain::Forbidden) -> Self {
        AppError::Forbidden
    }
}

/// The one place where a use case's refusal becomes an HTTP answer. Handlers that show a
/// refusal beside a form match on the error first; whatever reaches here is a page of its own.
impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Forbidden => AppError::Forbidden,
            ServiceError::Malformed(what) => AppError::BadRequest(what.to_string()),
            ServiceError::Refused(r) => AppError::Conflict(r.key().to_string()),
            ServiceError::TooManyAttempts => AppError::TooManyRequests,
            ServiceError::Ledger(l) => l.into(),
            ServiceError::Db(d) => d.into(),
            ServiceError::Internal(msg) => AppError::Internal(msg),
        }
    }
}

impl From<LedgerError> for AppError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::KeyConflict | LedgerError::AlreadyReversed => {
                AppError::Conflict(e.to_string())
            }
            LedgerError::Db(d) => d.into(),
            other => AppError::BadRequest(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::SignIn { .. } => StatusCode::SEE_OTHER,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::SignIn { next } = self {
            let target = format!("/login?next={}", crate::domain::url::url_encode(next));
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, target))
                .finish();
        }
        if let AppError::Internal(msg) = self {
            tracing::error!(error = %msg, "request failed");
        }
        let mut res = HttpResponse::build(self.status_code()).finish();
        res.extensions_mut().insert(ErrorPage);
        if matches!(self, AppError::Csrf) {
            res.extensions_mut().insert(CsrfFailure);
        }
        res
    }
}

/// Lets the error page say "the form expired, reload it" instead of a bare 403.
#[derive(Clone, Copy, Debug)]
pub struct CsrfFailure;
