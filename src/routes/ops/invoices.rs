//! `/ops/invoices…` (rule B7): the invoices the platform issues (advisory customers and
//! customers without a partner), processed by operators. Thin: the shared handlers in
//! `routes::invoicing`; a partner's invoice is 404 here.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::auth::Operator;
use crate::error::AppError;
use crate::routes::invoicing::process_forms::{self as forms, MailForm, ReasonForm};
use crate::routes::invoicing::processing::{self as pages, ListQuery, OPS};
use crate::state::AppState;
use crate::views::Ctx;

type Id = web::Path<i64>;
type Res = Result<HttpResponse, AppError>;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ops/invoices", web::get().to(list_invoices))
        .route("/ops/invoices/{id:\\d+}", web::get().to(show_invoice))
        .route(
            "/ops/invoices/{id:\\d+}/file",
            web::get().to(download_invoice),
        )
        .route(
            "/ops/invoices/{id:\\d+}/issue",
            web::post().to(issue_invoice),
        )
        .route("/ops/invoices/{id:\\d+}/mail", web::post().to(mail_invoice))
        .route(
            "/ops/invoices/{id:\\d+}/reject",
            web::post().to(reject_invoice),
        )
        .route(
            "/ops/invoices/{id:\\d+}/return",
            web::post().to(return_invoice),
        );
}

pub async fn list_invoices(
    ctx: Ctx,
    o: Operator,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> Res {
    pages::list(ctx, o.caller, state, OPS, q.into_inner()).await
}

pub async fn show_invoice(ctx: Ctx, o: Operator, state: web::Data<AppState>, id: Id) -> Res {
    pages::show(ctx, o.caller, state, OPS, id.into_inner()).await
}

pub async fn download_invoice(o: Operator, state: web::Data<AppState>, id: Id) -> Res {
    pages::file(o.caller, state, id.into_inner()).await
}

#[allow(clippy::too_many_arguments)]
pub async fn issue_invoice(
    ctx: Ctx,
    o: Operator,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
    req: HttpRequest,
    payload: web::Payload,
) -> Res {
    forms::issue(
        ctx,
        o.caller,
        session,
        state,
        OPS,
        id.into_inner(),
        req,
        payload,
    )
    .await
}

pub async fn mail_invoice(
    ctx: Ctx,
    o: Operator,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
    form: web::Form<MailForm>,
) -> Res {
    forms::mail(
        ctx,
        o.caller,
        session,
        state,
        OPS,
        id.into_inner(),
        form.into_inner(),
    )
    .await
}

pub async fn reject_invoice(
    ctx: Ctx,
    o: Operator,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
    form: web::Form<ReasonForm>,
) -> Res {
    forms::close(
        ctx,
        o.caller,
        session,
        state,
        OPS,
        id.into_inner(),
        form.into_inner(),
        false,
    )
    .await
}

pub async fn return_invoice(
    ctx: Ctx,
    o: Operator,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
    form: web::Form<ReasonForm>,
) -> Res {
    forms::close(
        ctx,
        o.caller,
        session,
        state,
        OPS,
        id.into_inner(),
        form.into_inner(),
        true,
    )
    .await
}
