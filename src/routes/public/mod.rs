//! Public pages reached from outside: invitation links (`/invitations/{token}`), the
//! offline-expansion registration page (`/join/{code}`) and its confirmation link, and
//! password reset (`/password/forgot`, `/password/reset/{token}`).

mod invitation;
mod join;
mod password;

use actix_web::web;

use crate::auth::password as hashing;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use crate::error::AppError;
use crate::services::accounts::links::LinkProblem;
use crate::views::pages::AccountPage;
use crate::views::{Ctx, render_with};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/invitations/{token}",
        web::get().to(invitation::open_invitation),
    )
    .route(
        "/invitations/{token}/register",
        web::post().to(invitation::register_from_invitation),
    )
    .route(
        "/invitations/{token}/confirm",
        web::post().to(invitation::confirm_invitation),
    )
    .route("/join/verify/{token}", web::get().to(join::verify_form))
    .route("/join/verify/{token}", web::post().to(join::verify))
    .route("/join/{code}", web::get().to(join::join_form))
    .route("/join/{code}", web::post().to(join::join))
    .route("/password/forgot", web::get().to(password::forgot_form))
    .route("/password/forgot", web::post().to(password::forgot))
    .route(
        "/password/reset/{token}",
        web::get().to(password::reset_form),
    )
    .route("/password/reset/{token}", web::post().to(password::reset));
}

/// rule A2, SPEC §6: a public form that makes an account or sends mail counts against the
/// client address's hourly limit. The attempt waits at the sign-in gate first, holding no
/// connection, as sign-ins do, so a flood of forms cannot take the pool from pages.
async fn admit(
    state: &crate::state::AppState,
    caller: &crate::domain::Caller,
) -> Result<(), AppError> {
    let _permit = state.throttled_attempt().await?;
    let c = caller.clone();
    crate::routes::run(&state.pool, move |conn| {
        Ok(crate::services::accounts::public_forms::admit(conn, &c)?)
    })
    .await
}

/// A new account's password hash, computed on the hashing threads.
async fn hash_password(plain: &str) -> Result<String, AppError> {
    hashing::hash_off_thread(plain.to_string())
        .await
        .ok_or_else(|| AppError::internal("password hashing stopped"))
}

/// The page of a mailed account link that cannot be used: unknown is 404, used or expired 410.
fn link_problem(ctx: Ctx, problem: LinkProblem) -> Result<HttpResponse, AppError> {
    let mut page = AccountPage::new(ctx, "problem", "account.link.problem_title");
    page.message = page.ctx.t(problem.key());
    let status = match problem {
        LinkProblem::Unknown => StatusCode::NOT_FOUND,
        LinkProblem::Used | LinkProblem::Expired => StatusCode::GONE,
    };
    render_with(status, &page)
}
