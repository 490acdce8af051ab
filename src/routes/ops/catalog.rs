//! `/ops/catalog`: the operators' product catalog (rule P1): the list, the new and edit forms
//! (refused fields come back beside the form with the values kept, 422), and stopping or
//! resuming sales. Operators only (the `Operator` guard: 403 for everyone else).

mod form;
mod list;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::auth::Operator;
use crate::domain::price::format_price;
use crate::error::AppError;
use crate::services::orders::OrderRefusal;
use crate::services::orders::catalog::{self as svc, TAX_RATES};
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::customers::Opt;
use crate::views::orders::catalog::ProductFormPage;
use crate::views::{Ctx, FormErrors, flash, redirect, render_with};
use form::ProductForm;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ops/catalog", web::get().to(list::list_products))
        .route("/ops/catalog", web::post().to(create_product))
        .route("/ops/catalog/new", web::get().to(new_product_form))
        .route("/ops/catalog/{id:\\d+}", web::get().to(edit_product_form))
        .route("/ops/catalog/{id:\\d+}", web::post().to(update_product))
        .route(
            "/ops/catalog/{id:\\d+}/{action:stop|resume}",
            web::post().to(set_on_sale),
        );
}

/// The form page: a new product (`id` none) or an edit, with the values as typed.
async fn form_page(
    ctx: Ctx,
    state: &AppState,
    id: Option<i64>,
    form: ProductForm,
    active: bool,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let services = crate::routes::run(&state.pool, |conn| Ok(svc::services(conn)?)).await?;
    let chosen = form.service.trim().to_ascii_uppercase();
    let mut options = vec![Opt::new(
        "",
        ctx.t("orders.catalog.choose_service"),
        &chosen,
    )];
    options.extend(services.into_iter().map(|s| {
        let name = ctx.lang.pick(s.name_zh, s.name_en);
        Opt::new(s.code.clone(), format!("{} · {name}", s.code), &chosen)
    }));
    let tax_rates = TAX_RATES
        .iter()
        .map(|r| Opt::new(r.to_string(), format!("{r}%"), form.tax_rate.trim()))
        .collect();
    let (status, message) = if errors.is_empty() {
        (StatusCode::OK, String::new())
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, ctx.t("form.fix_errors"))
    };
    render_with(
        status,
        &ProductFormPage {
            id,
            needs_review: form.needs_review(),
            code: form.code,
            name_en: form.name_en,
            name_zh: form.name_zh,
            services: options,
            monthly_price: form.monthly_price,
            yearly_price: form.yearly_price,
            tax_rates,
            active,
            errors,
            message,
            ctx,
        },
    )
}

/// rule P1: the new product form (tax rate 6% preselected).
pub async fn new_product_form(
    ctx: Ctx,
    _op: Operator,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let form = ProductForm {
        tax_rate: "6".into(),
        ..ProductForm::default()
    };
    form_page(ctx, &state, None, form, true, FormErrors::default()).await
}

/// rule P1: a product's edit form with its current values.
pub async fn edit_product_form(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (caller, id) = (op.caller.clone(), path.into_inner());
    let p = crate::routes::run(&state.pool, move |conn| Ok(svc::get(conn, &caller, id)?)).await?;
    let form = ProductForm {
        code: p.code,
        name_en: p.name_en,
        name_zh: p.name_zh,
        service: p.service_code,
        monthly_price: p.monthly_price.map(format_price).unwrap_or_default(),
        yearly_price: p.yearly_price.map(format_price).unwrap_or_default(),
        tax_rate: p.tax_rate.to_string(),
        needs_review: p.needs_review.then(|| "1".to_string()),
    };
    form_page(ctx, &state, Some(id), form, p.active, FormErrors::default()).await
}

/// A refusal of the catalog service beside the field it is about.
fn refused_field(ctx: &Ctx, e: ServiceError) -> Result<FormErrors, AppError> {
    let mut errors = FormErrors::default();
    match e {
        ServiceError::Refused(Refusal::Order(r @ OrderRefusal::CodeTaken)) => {
            errors.add("code", ctx.t(r.key()))
        }
        ServiceError::Refused(Refusal::Order(r @ OrderRefusal::UnknownService)) => {
            errors.add("service", ctx.t(r.key()))
        }
        other => return Err(other.into()),
    }
    Ok(errors)
}

/// rule P1: adds the product; a code already used comes back beside its field.
pub async fn create_product(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<ProductForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let new = match form.parse(&ctx, false) {
        Ok(new) => new,
        Err(errors) => return form_page(ctx, &state, None, form, true, errors).await,
    };
    let caller = op.caller.clone();
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::create(conn, &caller, &new))
    })
    .await?;
    match done {
        Ok(_) => {
            flash(&session, "success", ctx.t("orders.catalog.created"));
            Ok(redirect("/ops/catalog"))
        }
        Err(e) => {
            let errors = refused_field(&ctx, e)?;
            form_page(ctx, &state, None, form, true, errors).await
        }
    }
}

/// rule P1: changes the product (its code stays).
pub async fn update_product(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<ProductForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let caller = op.caller.clone();
    let current =
        crate::routes::run(&state.pool, move |conn| Ok(svc::get(conn, &caller, id)?)).await?;
    let form = ProductForm {
        code: current.code,
        ..form.into_inner()
    };
    let new = match form.parse(&ctx, true) {
        Ok(new) => new,
        Err(errors) => return form_page(ctx, &state, Some(id), form, current.active, errors).await,
    };
    let caller = op.caller.clone();
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::update(conn, &caller, id, &new))
    })
    .await?;
    match done {
        Ok(()) => {
            flash(&session, "success", ctx.t("orders.catalog.updated"));
            Ok(redirect("/ops/catalog"))
        }
        Err(e) => {
            let errors = refused_field(&ctx, e)?;
            form_page(ctx, &state, Some(id), form, current.active, errors).await
        }
    }
}

/// rule P1: stops or resumes selling the product.
pub async fn set_on_sale(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let active = action == "resume";
    let caller = op.caller.clone();
    crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::set_on_sale(conn, &caller, id, active)?)
    })
    .await?;
    let key = if active {
        "orders.catalog.resumed"
    } else {
        "orders.catalog.stopped"
    };
    flash(&session, "success", ctx.t(key));
    Ok(redirect("/ops/catalog"))
}
