//! `/partner/invoices…` (rules B3, B7): the invoices the organisation issues to its resale
//! customers (admins process them; supervisors and managers read their customers', 403 on
//! actions; another organisation's invoice is 404), and the organisation's own invoice titles
//! at `/partner/invoices/titles` (admins). Thin: the shared handlers in `routes::invoicing`.

use actix_session::Session;
use actix_web::{HttpResponse, web};

use crate::auth::Member;
use crate::error::AppError;
use crate::routes::invoicing::handlers;
use crate::routes::invoicing::titles::{self, PARTNER as TITLES};
use crate::state::AppState;
use crate::views::Ctx;

type Id = web::Path<i64>;
type Res = Result<HttpResponse, AppError>;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/invoices/titles", web::get().to(list_titles))
        .route("/partner/invoices/titles", web::post().to(create_title))
        .route("/partner/invoices/titles/new", web::get().to(new_title))
        .route(
            "/partner/invoices/titles/{id:\\d+}",
            web::get().to(edit_title),
        )
        .route(
            "/partner/invoices/titles/{id:\\d+}",
            web::post().to(update_title),
        )
        .route(
            "/partner/invoices/titles/{id:\\d+}/default",
            web::post().to(make_default_title),
        );
    // The list, each invoice and its actions: the handlers shared with the operator console.
    handlers::configure::<Member>(cfg);
}

pub async fn list_titles(ctx: Ctx, m: Member, state: web::Data<AppState>) -> Res {
    titles::list(ctx, m.caller, state, TITLES).await
}

pub async fn new_title(ctx: Ctx, m: Member, state: web::Data<AppState>) -> Res {
    titles::new_form(ctx, m.caller, state, TITLES).await
}

pub async fn edit_title(ctx: Ctx, m: Member, state: web::Data<AppState>, id: Id) -> Res {
    titles::edit_form(ctx, m.caller, state, TITLES, id.into_inner()).await
}

pub async fn create_title(
    ctx: Ctx,
    m: Member,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Res {
    let f = titles::fields(form.into_inner());
    titles::save(ctx, m.caller, session, state, TITLES, None, f).await
}

pub async fn update_title(
    ctx: Ctx,
    m: Member,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
    form: web::Form<Vec<(String, String)>>,
) -> Res {
    let f = titles::fields(form.into_inner());
    titles::save(
        ctx,
        m.caller,
        session,
        state,
        TITLES,
        Some(id.into_inner()),
        f,
    )
    .await
}

pub async fn make_default_title(
    ctx: Ctx,
    m: Member,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
) -> Res {
    titles::make_default(ctx, m.caller, session, state, TITLES, id.into_inner()).await
}
