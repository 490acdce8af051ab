//! `/fee-center/orders/new`: the order form (rule P1; SPEC §6 fields `product`, the catalog
//! code, and `term`, `month` or `year`) with a hidden key, so a double submit places one
//! order. A refused field comes back beside the form with the choice kept (422).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::CustomerUser;
use crate::domain::Term;
use crate::domain::price::format_price;
use crate::error::AppError;
use crate::services::customers::top_up::valid_key;
use crate::services::orders::OrderRefusal;
use crate::services::orders::catalog;
use crate::services::orders::create::{self, OrderInput};
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::orders::fee_center::{NewOrderPage, ProductChoice};
use crate::views::{Ctx, FormErrors, flash, redirect, render_with};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OrderForm {
    product: String,
    term: String,
    key: String,
}

async fn form_page(
    ctx: Ctx,
    state: &AppState,
    form: OrderForm,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let products = crate::routes::run(&state.pool, |conn| Ok(catalog::on_sale(conn)?)).await?;
    let chosen = form.product.trim().to_string();
    let products = products
        .into_iter()
        .map(|p| ProductChoice {
            selected: p.code == chosen,
            name: ctx.lang.pick(p.name_zh, p.name_en),
            code: p.code,
            monthly_price: p.monthly_price.map(format_price).unwrap_or_default(),
            yearly_price: p.yearly_price.map(format_price).unwrap_or_default(),
            needs_review: p.needs_review,
        })
        .collect();
    let (status, message) = if errors.is_empty() {
        (StatusCode::OK, String::new())
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, ctx.t("form.fix_errors"))
    };
    render_with(
        status,
        &NewOrderPage {
            products,
            term: form.term,
            key: form.key,
            errors,
            message,
            ctx,
        },
    )
}

/// rule P1: the order form, monthly preselected, with a fresh key.
pub async fn new_order_form(
    ctx: Ctx,
    _user: CustomerUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let form = OrderForm {
        term: Term::Month.as_str().into(),
        key: uuid::Uuid::new_v4().to_string(),
        ..OrderForm::default()
    };
    form_page(ctx, &state, form, FormErrors::default()).await
}

/// rule P1: places the order (pending review or pending payment) and opens its page.
pub async fn place_order(
    ctx: Ctx,
    user: CustomerUser,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<OrderForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    if !valid_key(&form.key) {
        return Err(AppError::BadRequest("form key".into()));
    }
    let mut errors = FormErrors::default();
    if form.product.trim().is_empty() {
        errors.add("product", ctx.t("orders.fee.choose_product"));
    }
    let term = Term::parse(&form.term);
    if term.is_none() {
        errors.add("term", ctx.t("orders.fee.choose_term"));
    }
    let Some(term) = term.filter(|_| errors.is_empty()) else {
        return form_page(ctx, &state, form, errors).await;
    };
    let input = OrderInput {
        product: form.product.trim().to_string(),
        term,
        key: form.key.clone(),
    };
    let caller = user.caller.clone();
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(create::create(conn, &caller, &input))
    })
    .await?;
    match done {
        Ok(id) => {
            flash(&session, "success", ctx.t("orders.fee.placed"));
            Ok(redirect(&format!("/fee-center/orders/{id}")))
        }
        Err(ServiceError::Refused(Refusal::Order(r))) => {
            let field = match r {
                OrderRefusal::TermNotOffered => "term",
                _ => "product",
            };
            errors.add(field, ctx.t(r.key()));
            form_page(ctx, &state, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
