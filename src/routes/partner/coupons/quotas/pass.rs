//! `/partner/coupons/quotas/{id}/pass` (rules K1, R3): the form listing the distributor's
//! resellers, and the per-reseller result of one pass.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::Money;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::services::coupons::passing::{self, PassInput};
use crate::services::coupons::{CouponRefusal, PASS_RESELLERS_MAX};
use crate::services::keyset;
use crate::state::AppState;
use crate::views::coupons::quotas::{PassFormPage, PassResultPage, PassResultRow, ResellerChoice};
use crate::views::{Ctx, FormErrors, render, render_with};

#[derive(Deserialize)]
pub struct PassQuery {
    q: Option<String>,
}

/// The pass form as typed (`reseller_id` repeated).
#[derive(Default)]
struct PassForm {
    reseller_ids: Vec<i64>,
    amount: String,
    key: String,
}

async fn pass_page(
    ctx: Ctx,
    member: &Member,
    state: &AppState,
    (id, q): (i64, String),
    form: PassForm,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let (caller, text) = (member.caller.clone(), q.clone());
    let choices = crate::routes::run(&state.pool, move |conn| {
        Ok(passing::choices(conn, &caller, id, &text)?)
    })
    .await?;
    let resellers = choices
        .resellers
        .into_iter()
        .map(|(rid, name)| ResellerChoice {
            checked: form.reseller_ids.contains(&rid),
            id: rid,
            name,
        })
        .collect();
    let (status, message) = if errors.is_empty() {
        (StatusCode::OK, String::new())
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, ctx.t("form.fix_errors"))
    };
    render_with(
        status,
        &PassFormPage {
            ctx,
            grant: choices.grant.into(),
            resellers,
            q,
            amount: form.amount,
            key: form.key,
            errors,
            message,
        },
    )
}

/// rule K1, R3: the pass form (up to 100 resellers shown, `?q=` narrows), with a fresh key.
pub async fn pass_quota_form(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<PassQuery>,
) -> Result<HttpResponse, AppError> {
    let q = keyset::q(query.q.as_deref());
    let form = PassForm {
        key: uuid::Uuid::new_v4().to_string(),
        ..PassForm::default()
    };
    let id = path.into_inner();
    pass_page(ctx, &member, &state, (id, q), form, FormErrors::default()).await
}

/// rule K1, R3: passes the amount to each chosen reseller; the answer lists each one's result.
pub async fn pass_quota(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    fields: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let mut form = PassForm::default();
    for (name, value) in fields.into_inner() {
        match name.as_str() {
            "reseller_id" => form.reseller_ids.push(
                value
                    .trim()
                    .parse()
                    .map_err(|_| AppError::BadRequest("reseller_id".into()))?,
            ),
            "amount" => form.amount = value,
            "key" => form.key = value,
            _ => {}
        }
    }
    if !crate::services::customers::top_up::valid_key(&form.key) {
        return Err(AppError::BadRequest("form key".into()));
    }
    let mut errors = FormErrors::default();
    let amount = Money::parse_positive(&form.amount)
        .map_err(|e| errors.add("amount", ctx.t(e.message_key())))
        .ok();
    form.reseller_ids.dedup();
    if form.reseller_ids.is_empty() {
        errors.add("reseller_id", ctx.t("quotas.error.no_reseller"));
    } else if form.reseller_ids.len() > PASS_RESELLERS_MAX {
        errors.add("reseller_id", ctx.t(CouponRefusal::TooMany.key()));
    }
    let Some(amount) = amount.filter(|_| errors.is_empty()) else {
        // The form page reads through the same access check: a refused role still gets 403.
        return pass_page(ctx, &member, &state, (id, String::new()), form, errors).await;
    };
    let mut ids = form.reseller_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    let input = PassInput {
        grant_id: id,
        reseller_ids: ids,
        amount,
        key: form.key,
    };
    let caller = member.caller.clone();
    let lines = crate::routes::transaction(&state.pool, move |conn| {
        Ok(passing::pass(conn, &caller, &input)?)
    })
    .await?;
    let rows: Vec<PassResultRow> = lines
        .into_iter()
        .map(|l| PassResultRow {
            reseller_id: l.reseller_id,
            name: l.name,
            passed: l.result.is_ok(),
            reason: l.result.err().map(|r| ctx.t(r.key())).unwrap_or_default(),
        })
        .collect();
    let passed = rows.iter().filter(|r| r.passed).count();
    render(&PassResultPage {
        grant_id: id,
        amount: format_amount(amount.amount()),
        refused: rows.len() - passed,
        passed,
        rows,
        ctx,
    })
}
