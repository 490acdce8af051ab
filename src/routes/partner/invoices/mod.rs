//! `/partner/invoices…` (rules B3, B7): the invoices the organisation issues to its resale
//! customers (admins process them; supervisors and managers read their customers', 403 on
//! actions; another organisation's invoice is 404), and the organisation's own invoice titles
//! at `/partner/invoices/titles` (admins). Thin: the shared handlers in `routes::invoicing`.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::auth::Member;
use crate::error::AppError;
use crate::routes::invoicing::process_forms::{self as forms, MailForm, ReasonForm};
use crate::routes::invoicing::processing::{self as pages, ListQuery, PARTNER};
use crate::routes::invoicing::titles::{self, PARTNER as TITLES};
use crate::state::AppState;
use crate::views::Ctx;

type Id = web::Path<i64>;
type Res = Result<HttpResponse, AppError>;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/invoices", web::get().to(list_invoices))
        .route("/partner/invoices/titles", web::get().to(list_titles))
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
        )
        .route("/partner/invoices/{id:\\d+}", web::get().to(show_invoice))
        .route(
            "/partner/invoices/{id:\\d+}/file",
            web::get().to(download_invoice),
        )
        .route(
            "/partner/invoices/{id:\\d+}/issue",
            web::post().to(issue_invoice),
        )
        .route(
            "/partner/invoices/{id:\\d+}/mail",
            web::post().to(mail_invoice),
        )
        .route(
            "/partner/invoices/{id:\\d+}/reject",
            web::post().to(reject_invoice),
        )
        .route(
            "/partner/invoices/{id:\\d+}/return",
            web::post().to(return_invoice),
        );
}

pub async fn list_invoices(
    ctx: Ctx,
    m: Member,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> Res {
    pages::list(ctx, m.caller, state, PARTNER, q.into_inner()).await
}

pub async fn show_invoice(ctx: Ctx, m: Member, state: web::Data<AppState>, id: Id) -> Res {
    pages::show(ctx, m.caller, state, PARTNER, id.into_inner()).await
}

pub async fn download_invoice(m: Member, state: web::Data<AppState>, id: Id) -> Res {
    pages::file(m.caller, state, id.into_inner()).await
}

#[allow(clippy::too_many_arguments)]
pub async fn issue_invoice(
    ctx: Ctx,
    m: Member,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
    req: HttpRequest,
    payload: web::Payload,
) -> Res {
    forms::issue(
        ctx,
        m.caller,
        session,
        state,
        PARTNER,
        id.into_inner(),
        req,
        payload,
    )
    .await
}

pub async fn mail_invoice(
    ctx: Ctx,
    m: Member,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
    form: web::Form<MailForm>,
) -> Res {
    forms::mail(
        ctx,
        m.caller,
        session,
        state,
        PARTNER,
        id.into_inner(),
        form.into_inner(),
    )
    .await
}

pub async fn reject_invoice(
    ctx: Ctx,
    m: Member,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
    form: web::Form<ReasonForm>,
) -> Res {
    let id = id.into_inner();
    forms::close(
        ctx,
        m.caller,
        session,
        state,
        PARTNER,
        id,
        form.into_inner(),
        false,
    )
    .await
}

pub async fn return_invoice(
    ctx: Ctx,
    m: Member,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
    form: web::Form<ReasonForm>,
) -> Res {
    let id = id.into_inner();
    forms::close(
        ctx,
        m.caller,
        session,
        state,
        PARTNER,
        id,
        form.into_inner(),
        true,
    )
    .await
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
