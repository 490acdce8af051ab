//! The processing routes of both issuers (rule B7) — the platform's operators at
//! `/ops/invoices…` and a partner's members at `/partner/invoices…` — written once and
//! registered by each area with its guard: `Processor` names the guard and the place, the
//! services decide what each caller may see and do (a partner's invoice is 404 to operators,
//! another organisation's to members; supervisors and managers get 403 on actions).

use actix_session::Session;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};

use super::process_forms::{self as forms, MailForm, ReasonForm};
use super::processing::{self as pages, ListQuery, OPS, PARTNER, Place};
use crate::auth::{Member, Operator};
use crate::domain::Caller;
use crate::error::AppError;
use crate::state::AppState;
use crate::views::Ctx;

type Id = web::Path<i64>;
type Res = Result<HttpResponse, AppError>;

/// Who processes invoices at a place: the guard that admits them and the caller it yields.
pub trait Processor: FromRequest + 'static {
    const PLACE: Place;
    fn into_caller(self) -> Caller;
}

impl Processor for Operator {
    const PLACE: Place = OPS;
    fn into_caller(self) -> Caller {
        self.caller
    }
}

impl Processor for Member {
    const PLACE: Place = PARTNER;
    fn into_caller(self) -> Caller {
        self.caller
    }
}

/// The list, an invoice, its file and the four actions under `P::PLACE.base`.
pub fn configure<P: Processor>(cfg: &mut web::ServiceConfig) {
    let base = P::PLACE.base;
    let one = |tail: &str| format!("{base}/{{id:\\d+}}{tail}");
    cfg.route(base, web::get().to(list_invoices::<P>))
        .route(&one(""), web::get().to(show_invoice::<P>))
        .route(&one("/file"), web::get().to(download_invoice::<P>))
        .route(&one("/issue"), web::post().to(issue_invoice::<P>))
        .route(&one("/mail"), web::post().to(mail_invoice::<P>))
        .route(&one("/reject"), web::post().to(reject_invoice::<P>))
        .route(&one("/return"), web::post().to(return_invoice::<P>));
}

pub async fn list_invoices<P: Processor>(
    ctx: Ctx,
    p: P,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> Res {
    pages::list(ctx, p.into_caller(), state, P::PLACE, q.into_inner()).await
}

pub async fn show_invoice<P: Processor>(ctx: Ctx, p: P, state: web::Data<AppState>, id: Id) -> Res {
    pages::show(ctx, p.into_caller(), state, P::PLACE, id.into_inner()).await
}

pub async fn download_invoice<P: Processor>(p: P, state: web::Data<AppState>, id: Id) -> Res {
    pages::file(p.into_caller(), state, id.into_inner()).await
}

#[allow(clippy::too_many_arguments)]
pub async fn issue_invoice<P: Processor>(
    ctx: Ctx,
    p: P,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
    req: HttpRequest,
    payload: web::Payload,
) -> Res {
    let caller = p.into_caller();
    forms::issue(
        ctx,
        caller,
        session,
        state,
        P::PLACE,
        id.into_inner(),
        req,
        payload,
    )
    .await
}

pub async fn mail_invoice<P: Processor>(
    ctx: Ctx,
    p: P,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
    form: web::Form<MailForm>,
) -> Res {
    let caller = p.into_caller();
    forms::mail(
        ctx,
        caller,
        session,
        state,
        P::PLACE,
        id.into_inner(),
        form.into_inner(),
    )
    .await
}

/// Reject a pending request (`returned: false`) or take back an issued invoice (退票).
async fn close<P: Processor>(
    (ctx, p, session, state): (Ctx, P, Session, web::Data<AppState>),
    id: Id,
    form: web::Form<ReasonForm>,
    returned: bool,
) -> Res {
    let caller = p.into_caller();
    let (id, form) = (id.into_inner(), form.into_inner());
    forms::close(ctx, caller, session, state, P::PLACE, id, form, returned).await
}

pub async fn reject_invoice<P: Processor>(
    ctx: Ctx,
    p: P,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
    form: web::Form<ReasonForm>,
) -> Res {
    close((ctx, p, session, state), id, form, false).await
}

pub async fn return_invoice<P: Processor>(
    ctx: Ctx,
    p: P,
    session: Session,
    state: web::Data<AppState>,
    id: Id,
    form: web::Form<ReasonForm>,
) -> Res {
    close((ctx, p, session, state), id, form, true).await
}
