//! Template structs and what every page shares: `Ctx` (language, CSRF token, who is signed
//! in, flash messages, navigation) and `render`.

pub mod bills;
pub mod charts;
pub mod coupons;
pub mod credit;
pub mod customers;
pub mod dashboard;
pub mod errors;
pub mod incentives;
pub mod invitations;
pub mod invoices;
pub mod ledger;
pub mod nav;
pub mod orders;
pub mod pages;
pub mod resellers;
pub mod usage;

use actix_session::{Session, SessionExt};
use actix_web::http::header::ContentType;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, dev::Payload};
use askama::Template;
use serde::{Deserialize, Serialize};
use std::future::{Ready, ready};

use crate::auth::{csrf, identity::Who};
use crate::domain::{Audience, Role};
use crate::error::AppError;
use crate::i18n::Lang;

pub use crate::domain::FormErrors;
pub use crate::domain::url::{local_path, url_encode};

pub use crate::telemetry::RequestId;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flash {
    pub kind: String,
    pub text: String,
}

const FLASH_KEY: &str = "flash";

/// Queues a message for the next page this session renders (POST → flash → 303).
pub fn flash(session: &Session, kind: &str, text: impl Into<String>) {
    let mut list: Vec<Flash> = session.get(FLASH_KEY).ok().flatten().unwrap_or_default();
    list.push(Flash {
        kind: kind.to_string(),
        text: text.into(),
    });
    let _ = session.insert(FLASH_KEY, list);
}

pub struct Ctx {
    pub lang: Lang,
    pub csrf: String,
    pub who: Option<Who>,
    pub path: String,
    pub flashes: Vec<Flash>,
    pub request_id: String,
}

impl Ctx {
    pub fn from_request(req: &HttpRequest, take_flashes: bool) -> Ctx {
        let session = req.get_session();
        let flashes = if take_flashes {
            let list: Vec<Flash> = session.get(FLASH_KEY).ok().flatten().unwrap_or_default();
            if !list.is_empty() {
                session.remove(FLASH_KEY);
            }
            list
        } else {
            Vec::new()
        };
        Ctx {
            lang: Lang::from_request(req),
            csrf: csrf::token(&session),
            who: Who::current(req),
            path: req.path().to_string(),
            flashes,
            request_id: req
                .extensions()
                .get::<RequestId>()
                .map(|r| r.0.clone())
                .unwrap_or_default(),
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// A message from a family of keys: `tk("outbox.state", "sent")` → `outbox.state.sent`.
    pub fn tk(&self, prefix: &str, key: &str) -> String {
        let mut full = String::with_capacity(prefix.len() + 1 + key.len());
        full.push_str(prefix);
        full.push('.');
        full.push_str(key);
        self.lang.t(&full)
    }

    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.lang.tf(key, args)
    }

    /// An amount already formatted by `format_amount`, with the currency symbol of the
    /// page's language (`money.symbol` in the locale files).
    pub fn money(&self, amount: &str) -> String {
        let symbol = self.lang.text("money.symbol");
        let mut shown = String::with_capacity(symbol.len() + amount.len());
        shown.push_str(&symbol);
        shown.push_str(amount);
        shown
    }

    pub fn audience(&self) -> Option<Audience> {
        self.who.as_ref().map(|w| w.audience)
    }

    pub fn role(&self) -> Option<Role> {
        self.who.as_ref().and_then(|w| w.role)
    }

    /// Whether the signed-in member is an admin of its organisation.
    pub fn is_admin(&self) -> bool {
        self.role() == Some(Role::Admin)
    }

    /// Whether the signed-in member works for a distributor (tier 1).
    pub fn is_distributor(&self) -> bool {
        self.who.as_ref().and_then(|w| w.org_kind) == Some(crate::domain::OrgKind::Distributor)
    }

    pub fn nav(&self) -> Vec<nav::NavItem> {
        nav::items(self)
    }

    /// `zh-CN` → the other language's code and name, for the header switch.
    pub fn other_lang(&self) -> (&'static str, &'static str) {
        match self.lang {
            Lang::ZhCn => ("en", "English"),
            Lang::En => ("zh-CN", "简体中文"),
        }
    }

    pub fn role_label(&self) -> String {
        match (self.audience(), self.role()) {
            (Some(Audience::Partner), Some(r)) => self.t(&format!("role.{}", r.as_str())),
            (Some(Audience::Customer), _) => self.t("audience.customer"),
            (Some(Audience::Operator), _) => self.t("audience.operator"),
            _ => String::new(),
        }
    }
}

impl FromRequest for Ctx {
    type Error = AppError;
    type Future = Ready<Result<Ctx, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Ctx::from_request(req, true)))
    }
}

pub fn render(page: &impl Template) -> Result<HttpResponse, AppError> {
    render_with(actix_web::http::StatusCode::OK, page)
}

pub fn render_with(
    status: actix_web::http::StatusCode,
    page: &impl Template,
) -> Result<HttpResponse, AppError> {
    let body = page.render()?;
    Ok(HttpResponse::build(status)
        .content_type(ContentType::html())
        .body(body))
}

pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, to.to_string()))
        .finish()
}

/// Whether the page's script asked for JSON (the eye button's inline reveal) rather than HTML.
pub fn wants_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

pub use crate::services::keyset::take_page;

/// Links for a keyset-paged list; `None` hides the link.
#[derive(Default, Clone, Debug)]
pub struct Pager {
    pub first: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `base` is the list's path with its filters (always carrying `q`, SPEC §5); `after` is
    /// the cursor of the next page when there is one.
    pub fn new(base_query: &str, path: &str, on_first_page: bool, after: Option<String>) -> Pager {
        let sep = if base_query.is_empty() { "" } else { "&" };
        Pager {
            first: (!on_first_page).then(|| format!("{path}?{base_query}")),
            next: after.map(|c| format!("{path}?{base_query}{sep}after={}", url_encode(&c))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_keeps_filters_and_cursor() {
        let p = Pager::new("q=acme", "/partner/customers", false, Some("12".into()));
        assert_eq!(
            p.next.as_deref(),
            Some("/partner/customers?q=acme&after=12")
        );
        assert_eq!(p.first.as_deref(), Some("/partner/customers?q=acme"));
    }
}
