use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::identity::Who;
use crate::error::AppError;
use crate::views::pages::LoginPage;
use crate::views::{Ctx, FormErrors, local_path, redirect, render};

pub async fn root(who: Option<Who>) -> HttpResponse {
    redirect(who.map_or("/login", |w| w.audience.home()))
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    signed_out: Option<String>,
}

pub async fn login_form(ctx: Ctx, query: web::Query<LoginQuery>) -> Result<HttpResponse, AppError> {
    if let Some(who) = &ctx.who {
        return Ok(redirect(who.audience.home()));
    }
    let message = if query.signed_out.is_some() {
        ctx.t("login.signed_out")
    } else {
        String::new()
    };
    let next = query
        .next
        .as_deref()
        .and_then(local_path)
        .unwrap_or("")
        .to_string();
    render(&LoginPage {
        ctx,
        email: String::new(),
        next,
        message,
        errors: FormErrors::default(),
    })
}
