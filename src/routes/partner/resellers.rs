//! `/partner/resellers…`: a distributor's resellers and the funds it moves to and from them
//! (rules R1–R3). Every page is for the distributor's admins; the services refuse the rest.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::routes::cursor_id;
use crate::services::keyset;
use crate::services::resellers::funds::{self, Direction, FundsHistory, FundsOutcome};
use crate::services::resellers::{self as svc, list::ResellerLine};
use crate::state::AppState;
use crate::views::customers::RevealPage;
use crate::views::resellers::{
    FundsFormPage, FundsRow, ResellerDetailPage, ResellerListPage, ResellerRow,
};
use crate::views::{
    Ctx, FormErrors, Pager, flash, redirect, render, render_with, url_encode, wants_json,
};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/partner/resellers", web::get().to(list_resellers))
        .route("/partner/resellers/{id:\\d+}", web::get().to(show_reseller))
        .route(
            "/partner/resellers/{id:\\d+}/reveal",
            web::post().to(reveal_contact),
        )
        .route(
            "/partner/resellers/{id:\\d+}/{direction:allocate|reclaim}",
            web::get().to(funds_form),
        )
        .route(
            "/partner/resellers/{id:\\d+}/{direction:allocate|reclaim}",
            web::post().to(move_funds),
        );
}

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

fn row(r: ResellerLine) -> ResellerRow {
    ResellerRow {
        reveal_action: format!("/partner/resellers/{}/reveal", r.id),
        id: r.id,
        name: r.name,
        cooperation: r.cooperation,
        contact_name: r.contact_name,
        email_masked: r.email_masked,
        phone_masked: r.phone_masked,
        balance: format_amount(r.balance),
        customers: r.customers,
    }
}

/// rule R3: my resellers, keyset pages by name, `?q=` on the name or the contact's address.
pub async fn list_resellers(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let q = keyset::q(query.q.as_deref());
    let size = keyset::size_of(query.size.as_deref());
    let after = query.after.clone().filter(|a| !a.is_empty());
    let (caller, text, cursor) = (member.caller.clone(), q.clone(), after.clone());
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::list::page(
            conn,
            &caller,
            &text,
            cursor.as_deref(),
            size,
        )?)
    })
    .await?;
    let base = crate::routes::with_size(format!("q={}", url_encode(&q)), size);
    let pager = Pager::new(&base, "/partner/resellers", after.is_none(), page.next);
    let rows = page.rows.into_iter().map(row).collect();
    render(&ResellerListPage {
        ctx,
        rows,
        q,
        pager,
    })
}

pub(super) fn history_rows(ctx: &Ctx, history: FundsHistory) -> (Vec<FundsRow>, Option<String>) {
    let rows = history
        .rows
        .into_iter()
        .map(|h| FundsRow {
            direction: h.direction.as_str().to_string(),
            direction_label: ctx.tk("resellers.direction", h.direction.as_str()),
            amount: format_amount(h.amount),
            remark: h.remark,
            by: h.by.unwrap_or_default(),
            at: local_time(h.at),
        })
        .collect();
    (rows, history.next)
}

#[derive(Deserialize)]
pub struct HistoryQuery {
    after: Option<String>,
}

/// rule R3: one reseller with its balance, customers, contact and funds history.
pub async fn show_reseller(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<HistoryQuery>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let before = cursor_id(&query.after);
    let caller = member.caller.clone();
    let (line, history) = crate::routes::run(&state.pool, move |conn| {
        Ok(funds::detail(conn, &caller, id, before, keyset::LOG_SIZE)?)
    })
    .await?;
    let (history, next) = history_rows(&ctx, history);
    let pager = Pager::new(
        "",
        &format!("/partner/resellers/{id}"),
        before.is_none(),
        next,
    );
    render(&ResellerDetailPage {
        reseller: row(line),
        ctx,
        history,
        pager,
    })
}

#[derive(Deserialize)]
pub struct RevealForm {
    #[serde(default)]
    field: String,
}

/// rule A5: the contact's e-mail or phone, audited; JSON for the eye, a page without script.
pub async fn reveal_contact(
    req: HttpRequest,
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<RevealForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let email = match form.field.as_str() {
        "email" => true,
        "phone" => false,
        _ => return Err(AppError::BadRequest("unknown field".into())),
    };
    let limit = state.settings.reveal_limit;
    let caller = member.caller.clone();
    let (name, value) = crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::reveal_contact(conn, &caller, id, email, limit)?)
    })
    .await?;
    if wants_json(&req) {
        return Ok(HttpResponse::Ok().json(serde_json::json!({ "value": value })));
    }
    render(&RevealPage {
        back_href: format!("/partner/resellers/{id}"),
        back_label: ctx.t("resellers.back_to_reseller"),
        list_href: "/partner/resellers".into(),
        list_label: ctx.t("resellers.back_to_list"),
        label: ctx.t(if email {
            "customers.col.email"
        } else {
            "customers.col.phone"
        }),
        ctx,
        company: name,
        value,
    })
}

#[derive(Deserialize, Default)]
pub struct FundsForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    remark: String,
    #[serde(default)]
    key: String,
}

fn direction_of(raw: &str) -> Result<Direction, AppError> {
    Direction::parse(raw).ok_or(AppError::NotFound)
}

async fn funds_page(
    ctx: Ctx,
    member: &Member,
    state: &AppState,
    (id, direction): (i64, Direction),
    form: FundsForm,
    errors: FormErrors,
    message: String,
) -> Result<FundsFormPage, AppError> {
    let caller = member.caller.clone();
    let facts = crate::routes::run(&state.pool, move |conn| {
        Ok(funds::context(conn, &caller, id)?)
    })
    .await?;
    Ok(FundsFormPage {
        ctx,
        id,
        reseller: facts.reseller,
        direction: direction.as_str().to_string(),
        cash: format_amount(facts.cash),
        reseller_balance: format_amount(facts.reseller_balance),
        amount: form.amount,
        remark: form.remark,
        key: form.key,
        errors,
        message,
    })
}

/// rule R3: the allocate or reclaim form, with a fresh key so a double submit moves once.
pub async fn funds_form(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, direction) = path.into_inner();
    let direction = direction_of(&direction)?;
    let blank = FundsForm {
        key: uuid::Uuid::new_v4().to_string(),
        ..FundsForm::default()
    };
    let page = funds_page(
        ctx,
        &member,
        &state,
        (id, direction),
        blank,
        FormErrors::default(),
        String::new(),
    )
    .await?;
    render(&page)
}

/// rule R3: allocate to or reclaim from a reseller; a refusal keeps the typed values.
pub async fn move_funds(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
    form: web::Form<FundsForm>,
) -> Result<HttpResponse, AppError> {
    let (id, direction) = path.into_inner();
    let direction = direction_of(&direction)?;
    let form = form.into_inner();
    let (amount, remark, mut errors) =
        crate::routes::money_form::amount_and_remark(&ctx, &form.amount, &form.remark);
    if !crate::services::customers::top_up::valid_key(&form.key) {
        return Err(AppError::BadRequest("form key".into()));
    }
    // With a malformed amount nothing moves; the form page below reads the facts through the
    // same access check, so a refused role or another's reseller still gets 403 or 404.
    let outcome = match amount {
        Some(a) => {
            let (caller, r, key) = (member.caller.clone(), remark.clone(), form.key.clone());
            Some(
                crate::routes::transaction(&state.pool, move |conn| {
                    Ok(funds::move_funds(
                        conn, &caller, id, direction, a, &r, &key,
                    )?)
                })
                .await?,
            )
        }
        None => None,
    };
    let message = match outcome {
        Some(FundsOutcome::Done { .. }) => {
            let done = format!("resellers.{}.done", direction.as_str());
            flash(&session, "success", ctx.t(&done));
            return Ok(redirect(&format!("/partner/resellers/{id}")));
        }
        Some(FundsOutcome::NotEnough { available }) => {
            let key = format!("resellers.{}.not_enough", direction.as_str());
            let text = ctx.tf(&key, &[("available", &format_amount(available))]);
            errors.add("amount", text.clone());
            text
        }
        None => ctx.t("form.fix_errors"),
    };
    let form = FundsForm { remark, ..form };
    let page = funds_page(ctx, &member, &state, (id, direction), form, errors, message).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
