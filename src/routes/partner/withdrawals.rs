//! Withdrawals on `/partner/account` (rule P4): the withdrawable amount with its terms, the
//! request form (field `amount`, hidden idempotency key), the partner's requests and the
//! cancellation of a pending one. Admins only.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::Money;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::services::credit::withdrawals::{self as svc, Overview, WithdrawalRow};
use crate::services::customers::top_up::valid_key;
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::credit::{WithdrawalLine, WithdrawalPanel};
use crate::views::{Ctx, FormErrors, Pager, flash, redirect, render_with};

#[derive(Deserialize, Default)]
pub struct WithdrawForm {
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub key: String,
}

impl WithdrawForm {
    /// An empty form with a new key: a double submit of it sends the same key.
    pub fn fresh() -> WithdrawForm {
        WithdrawForm {
            amount: String::new(),
            key: uuid::Uuid::new_v4().to_string(),
        }
    }
}

/// One request as a list line; `partner` is left empty on the partner's own page.
pub fn line(ctx: &Ctx, r: WithdrawalRow) -> WithdrawalLine {
    WithdrawalLine {
        id: r.id,
        partner: String::new(),
        amount: format_amount(r.amount),
        pending: r.state == crate::domain::WithdrawalState::Pending.as_str(),
        state: ctx.tk("credit.withdrawal.state", &r.state),
        reason: r.reason,
        requested: local_time(r.created_at),
        decided: r.decided_at.map(local_time).unwrap_or_default(),
    }
}

/// The P4 section of the account page.
pub fn panel(
    ctx: &Ctx,
    o: Overview,
    first_page: bool,
    form: WithdrawForm,
    errors: FormErrors,
    message: &str,
) -> WithdrawalPanel {
    let t = o.terms;
    WithdrawalPanel {
        cash: format_amount(t.cash),
        owed_in_invoices: format_amount(t.owed_in_invoices.total),
        owed_incentives: t.owed_in_invoices.incentives,
        owed_on_pending_invoices: format_amount(t.owed_in_invoices.on_pending_invoices),
        not_yet_posted: format_amount(t.not_yet_posted.total),
        unposted_requests: t.not_yet_posted.requests,
        arrears: format_amount(t.arrears.total),
        arrears_customers: t.arrears.customers,
        held: format_amount(t.held),
        amount: format_amount(t.amount()),
        form_amount: form.amount,
        key: form.key,
        errors,
        message: message.to_string(),
        rows: o.page.rows.into_iter().map(|r| line(ctx, r)).collect(),
        pager: Pager::new("", "/partner/account", first_page, o.page.next),
    }
}

pub async fn request_withdrawal(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<WithdrawForm>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let form = form.into_inner();
    if !valid_key(&form.key) {
        return Err(AppError::BadRequest("form key".into()));
    }
    let mut errors = FormErrors::default();
    let message = match Money::parse_positive(&form.amount) {
        Err(e) => {
            errors.add("amount", ctx.t(e.message_key()));
            ctx.t("form.fix_errors")
        }
        Ok(amount) => {
            let (caller, key) = (member.caller.clone(), form.key.clone());
            let outcome = crate::routes::transaction(&state.pool, move |conn| {
                Ok(svc::request(conn, &caller, amount, &key))
            })
            .await?;
            match outcome {
                Ok(_) => {
                    flash(&session, "success", ctx.t("credit.withdrawal.requested"));
                    return Ok(redirect("/partner/account#withdrawals"));
                }
                Err(ServiceError::Refused(Refusal::Credit(r))) => {
                    let text = ctx.t(r.key());
                    errors.add("amount", text.clone());
                    text
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let page =
        super::account::account_page(ctx, member, &state, None, form, errors, &message).await?;
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn cancel_withdrawal(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let id = path.into_inner();
    let caller = member.caller.clone();
    crate::routes::transaction(&state.pool, move |conn| Ok(svc::cancel(conn, &caller, id)?))
        .await?;
    flash(&session, "success", ctx.t("credit.withdrawal.cancelled"));
    Ok(redirect("/partner/account#withdrawals"))
}
