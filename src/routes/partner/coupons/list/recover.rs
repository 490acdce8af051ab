//! Recovering coupons (rule K3): one from its page (POST → flash → 303 back; a refusal shows
//! the page again with the reason), or the coupons chosen on the list, with a result per
//! coupon. Admins only: supervisors and customer managers get 403.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::detail::{FormState, coupon_page};
use crate::auth::Member;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::services::coupons::list::recovery::{BULK_MAX, RecoveryResult, recover_each};
use crate::services::coupons::{REMARK_MAX, recover};
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::coupons::list::{RecoveryResultPage, RecoveryRow};
use crate::views::{Ctx, FormErrors, flash, redirect, render, render_with};

#[derive(Deserialize, Default)]
pub struct RecoverForm {
    #[serde(default)]
    remark: String,
}

/// The remark (rule K3: at most 256 characters), trimmed, or the message beside the field.
fn remark_of(ctx: &Ctx, raw: &str) -> (String, FormErrors) {
    let remark = raw.trim().to_string();
    let mut errors = FormErrors::default();
    if remark.chars().count() > REMARK_MAX {
        errors.add(
            "remark",
            ctx.tf("form.too_long_n", &[("max", &REMARK_MAX.to_string())]),
        );
    }
    (remark, errors)
}

/// rule K3: recovers one usable coupon; its whole balance goes back to its grant.
pub async fn recover_coupon(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<RecoverForm>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let id = path.into_inner();
    let (remark, errors) = remark_of(&ctx, &form.remark);
    if !errors.is_empty() {
        let form = FormState {
            remark,
            errors,
            message: ctx.t("form.fix_errors"),
        };
        return coupon_page(
            ctx,
            &member,
            &state,
            id,
            None,
            form,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let (caller, r) = (member.caller.clone(), remark.clone());
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(recover::recover(conn, &caller, id, &r))
    })
    .await?;
    match done {
        Ok(amount) => {
            let amount = ctx.money(&format_amount(amount));
            flash(
                &session,
                "success",
                ctx.tf("coupons.list.recover.done", &[("amount", &amount)]),
            );
            Ok(redirect(&format!("/partner/coupons/{id}")))
        }
        // Nothing moved: the page again with the reason (rule K3: only usable coupons).
        Err(ServiceError::Refused(Refusal::Coupon(r))) => {
            let form = FormState {
                remark,
                errors: FormErrors::default(),
                message: ctx.t(r.key()),
            };
            coupon_page(ctx, &member, &state, id, None, form, StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The chosen coupon ids (`coupon_id`, repeated) and the remark; anything else is ignored.
fn chosen(fields: Vec<(String, String)>) -> Result<(Vec<i64>, String), AppError> {
    let mut ids = Vec::new();
    let mut remark = String::new();
    for (name, value) in fields {
        match name.as_str() {
            "coupon_id" => ids.push(
                value
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| AppError::BadRequest("coupon id".into()))?,
            ),
            "remark" => remark = value,
            _ => {}
        }
    }
    Ok((ids, remark))
}

/// rule K3: recovers each chosen coupon (at most 100), each on its own; a result per coupon.
pub async fn recover_coupons(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let (ids, remark) = chosen(form.into_inner())?;
    let (remark, errors) = remark_of(&ctx, &remark);
    let refused_page = |ctx: Ctx, message: String| {
        render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &RecoveryResultPage {
                ctx,
                rows: Vec::new(),
                recovered: 0,
                refused: 0,
                message,
            },
        )
    };
    if let Some(message) = errors.get("remark").map(str::to_string) {
        return refused_page(ctx, message);
    }
    if ids.is_empty() {
        let message = ctx.t("coupons.list.bulk.none_chosen");
        return refused_page(ctx, message);
    }
    if ids.len() > BULK_MAX {
        let message = ctx.tf(
            "coupons.list.bulk.too_many",
            &[("max", &BULK_MAX.to_string())],
        );
        return refused_page(ctx, message);
    }
    let caller = member.caller.clone();
    let results = crate::routes::transaction(&state.pool, move |conn| {
        Ok(recover_each(conn, &caller, &ids, &remark)?)
    })
    .await?;
    let rows: Vec<RecoveryRow> = results
        .into_iter()
        .map(|(id, result)| {
            let (recovered, text) = match result {
                RecoveryResult::Recovered(a) => (
                    true,
                    ctx.tf(
                        "coupons.list.recover.done",
                        &[("amount", &ctx.money(&format_amount(a)))],
                    ),
                ),
                RecoveryResult::Refused(r) => (false, ctx.t(r.key())),
                RecoveryResult::NotFound => (false, ctx.t("coupons.list.bulk.not_found")),
            };
            RecoveryRow {
                id,
                recovered,
                text,
            }
        })
        .collect();
    let recovered = rows.iter().filter(|r| r.recovered).count();
    render(&RecoveryResultPage {
        refused: rows.len() - recovered,
        recovered,
        rows,
        message: String::new(),
        ctx,
    })
}
