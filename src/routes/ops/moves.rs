//! `/ops/moves`: an operator moves a solution provider's customers to a reseller in bulk
//! (rule R5): choose, preview, move, and a per-customer result.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Operator;
use crate::domain::OrgKind;
use crate::error::AppError;
use crate::services::ServiceError;
use crate::services::resellers::moves::{self as svc, MoveLine};
use crate::state::AppState;
use crate::views::resellers::{MoveRow, MovesPage};
use crate::views::{Ctx, render_with};

#[derive(Deserialize)]
pub struct ChooseQuery {
    provider: Option<String>,
}

/// The fields of the preview and move forms: `provider`, `reseller`, `customer` (repeated).
struct Selection {
    provider: i64,
    reseller: i64,
    customers: Vec<i64>,
}

fn selection(fields: Vec<(String, String)>) -> Result<Selection, AppError> {
    let number = |v: &str| {
        v.trim()
            .parse::<i64>()
            .map_err(|_| AppError::BadRequest("a number".into()))
    };
    let mut s = Selection {
        provider: 0,
        reseller: 0,
        customers: Vec::new(),
    };
    for (name, value) in fields {
        match name.as_str() {
            "provider" => s.provider = number(&value)?,
            "reseller" => s.reseller = number(&value)?,
            "customer" => s.customers.push(number(&value)?),
            _ => {}
        }
    }
    Ok(s)
}

fn rows(ctx: &Ctx, lines: Vec<MoveLine>) -> Vec<MoveRow> {
    lines
        .into_iter()
        .map(|l| MoveRow {
            id: l.customer_id,
            company: l.company,
            association_type: l.association_type,
            refused: l.refused.map(|r| ctx.t(r.key())).unwrap_or_default(),
        })
        .collect()
}

/// What the page shows besides the lists it reads itself.
struct Shown {
    step: &'static str,
    provider: i64,
    reseller: i64,
    lines: Vec<MoveLine>,
    message: String,
}

async fn page(
    ctx: Ctx,
    operator: &Operator,
    state: &AppState,
    shown: Shown,
) -> Result<HttpResponse, AppError> {
    let Shown {
        step,
        provider,
        reseller,
        lines,
        message,
    } = shown;
    let caller = operator.caller.clone();
    let (providers, resellers, customers) = crate::routes::run(&state.pool, move |conn| {
        let providers = svc::organisations(conn, OrgKind::SolutionProvider)?;
        let resellers = svc::organisations(conn, OrgKind::Reseller)?;
        let customers = if step == "choose" && provider > 0 {
            svc::customers_of(conn, &caller, provider)?
        } else {
            Vec::new()
        };
        Ok((providers, resellers, customers))
    })
    .await?;
    let status = if message.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let lines = rows(&ctx, lines);
    render_with(
        status,
        &MovesPage {
            ctx,
            step,
            providers,
            resellers,
            provider,
            reseller,
            customers,
            lines,
            message,
        },
    )
}

pub async fn choose(
    ctx: Ctx,
    operator: Operator,
    state: web::Data<AppState>,
    query: web::Query<ChooseQuery>,
) -> Result<HttpResponse, AppError> {
    let provider = query
        .provider
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(0);
    page(
        ctx,
        &operator,
        &state,
        Shown {
            step: "choose",
            provider,
            reseller: 0,
            lines: vec![],
            message: String::new(),
        },
    )
    .await
}

/// Preview (`execute` false) or move; a selection out of bounds comes back to the choice.
async fn run(
    ctx: Ctx,
    operator: Operator,
    state: web::Data<AppState>,
    fields: Vec<(String, String)>,
    execute: bool,
) -> Result<HttpResponse, AppError> {
    let s = selection(fields)?;
    let (caller, ids) = (operator.caller.clone(), s.customers.clone());
    let (provider, reseller) = (s.provider, s.reseller);
    let work = move |conn: &mut diesel::PgConnection| {
        if execute {
            svc::execute(conn, &caller, provider, reseller, &ids)
        } else {
            svc::preview(conn, &caller, provider, reseller, &ids)
        }
    };
    let done = if execute {
        crate::db::transaction(&state.pool, work).await
    } else {
        crate::db::run(&state.pool, work).await
    };
    match done {
        Ok(lines) => {
            let step = if execute { "done" } else { "preview" };
            page(
                ctx,
                &operator,
                &state,
                Shown {
                    step,
                    provider,
                    reseller,
                    lines,
                    message: String::new(),
                },
            )
            .await
        }
        Err(ServiceError::Malformed(_)) => {
            let message = ctx.t("moves.choose_some");
            page(
                ctx,
                &operator,
                &state,
                Shown {
                    step: "choose",
                    provider,
                    reseller,
                    lines: vec![],
                    message,
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn preview(
    ctx: Ctx,
    operator: Operator,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    run(ctx, operator, state, form.into_inner(), false).await
}

pub async fn execute(
    ctx: Ctx,
    operator: Operator,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    run(ctx, operator, state, form.into_inner(), true).await
}
