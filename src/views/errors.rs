//! Friendly error pages (403, 404, 500 with the request id) in the user's language, for
//! errors from handlers, extractors, middleware and unknown routes alike.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::Ctx;
use crate::error::{CsrfFailure, ErrorPage};

#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPageView {
    pub ctx: Ctx,
    pub status: u16,
    pub title: String,
    pub message: String,
}

fn page_for(req: &HttpRequest, status: StatusCode, csrf: bool) -> HttpResponse {
    let ctx = Ctx::from_request(req, false);
    let key = match status.as_u16() {
        403 if csrf => "csrf",
        403 => "403",
        404 => "404",
        400 => "400",
        409 => "409",
        429 => "429",
        s if s >= 500 => "500",
        _ => "400",
    };
    let view = ErrorPageView {
        title: ctx.t(&format!("error.{key}.title")),
        message: ctx.t(&format!("error.{key}.message")),
        status: status.as_u16(),
        ctx,
    };
    let body = view
        .render()
        .unwrap_or_else(|_| format!("Error {}", status.as_u16()));
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody + 'static>>, actix_web::Error> {
    let res = next.call(req).await?;
    let marked = res.response().extensions().get::<ErrorPage>().is_some();
    if !marked || res.request().path().starts_with("/api/") {
        return Ok(res.map_into_left_body());
    }
    let csrf = res.response().extensions().get::<CsrfFailure>().is_some();
    let page = page_for(res.request(), res.status(), csrf);
    let (http_req, _) = res.into_parts();
    Ok(ServiceResponse::new(http_req, page).map_into_right_body())
}
