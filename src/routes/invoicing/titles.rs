//! `…/invoices/titles` (rule B3) for customers (`/fee-center`) and partner admins
//! (`/partner`): the list, a new title, one title's form, make default. Form problems sit
//! beside their fields with the typed values kept; an organisation asking for a VAT special
//! invoice is refused beside the invoice type.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::refusal_or;
use crate::domain::Caller;
use crate::error::AppError;
use crate::services::billing::BillingRefusal;
use crate::services::invoices::titles::{self as svc, Title, TitleFields};
use crate::state::AppState;
use crate::views::invoices::Area;
use crate::views::invoices::titles::{TitleFormPage, TitleRow, TitlesPage};
use crate::views::{Ctx, FormErrors, flash, redirect, render, render_with};

/// Where the titles pages of an area live.
#[derive(Clone, Copy)]
pub struct Place {
    pub area: Area,
    pub base: &'static str,
}

pub const FEE_CENTER: Place = Place {
    area: Area::FeeCenter,
    base: "/fee-center/invoices/titles",
};
pub const PARTNER: Place = Place {
    area: Area::Partner,
    base: "/partner/invoices/titles",
};

pub fn fields(pairs: Vec<(String, String)>) -> TitleFields {
    let mut f = TitleFields::default();
    for (name, value) in pairs {
        match name.as_str() {
            "title_type" => f.title_type = value,
            "invoice_kind" => f.invoice_kind = value,
            "name" => f.name = value,
            "tax_id" => f.tax_id = value,
            "bank_name" => f.bank_name = value,
            "bank_account" => f.bank_account = value,
            "registered_address" => f.registered_address = value,
            "registered_phone" => f.registered_phone = value,
            "postal_recipient" => f.postal_recipient = value,
            "postal_phone" => f.postal_phone = value,
            "postal_address" => f.postal_address = value,
            "make_default" => f.make_default = !value.is_empty(),
            _ => {}
        }
    }
    f
}

fn fields_of(t: Title) -> TitleFields {
    TitleFields {
        title_type: t.title_type,
        invoice_kind: t.invoice_kind,
        name: t.name,
        tax_id: t.tax_id,
        bank_name: t.bank_name,
        bank_account: t.bank_account,
        registered_address: t.registered_address,
        registered_phone: t.registered_phone,
        postal_recipient: t.postal_recipient,
        postal_phone: t.postal_phone,
        postal_address: t.postal_address,
        make_default: t.is_default,
    }
}

pub async fn list(
    ctx: Ctx,
    caller: Caller,
    state: web::Data<AppState>,
    at: Place,
) -> Result<HttpResponse, AppError> {
    let titles = crate::routes::run(&state.pool, move |conn| Ok(svc::list(conn, &caller)?)).await?;
    let rows = titles.into_iter().map(|t| TitleRow::new(&ctx, t)).collect();
    render(&TitlesPage {
        area: at.area,
        base: at.base.to_string(),
        rows,
        ctx,
    })
}

fn form_page(
    ctx: Ctx,
    at: Place,
    id: Option<i64>,
    f: TitleFields,
    errors: FormErrors,
) -> TitleFormPage {
    let (action, heading) = match id {
        Some(id) => (format!("{}/{id}", at.base), ctx.t("invoices.titles.edit")),
        None => (at.base.to_string(), ctx.t("invoices.titles.new")),
    };
    let message = if errors.is_empty() {
        String::new()
    } else {
        ctx.t("form.fix_errors")
    };
    TitleFormPage {
        area: at.area,
        base: at.base.to_string(),
        action,
        heading,
        f,
        errors,
        message,
        ctx,
    }
}

/// rule B3: a new title, its name the verified company name.
pub async fn new_form(
    ctx: Ctx,
    caller: Caller,
    state: web::Data<AppState>,
    at: Place,
) -> Result<HttpResponse, AppError> {
    let name = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::default_name(conn, &caller)?)
    })
    .await?;
    let f = TitleFields {
        name,
        ..TitleFields::default()
    };
    render(&form_page(ctx, at, None, f, FormErrors::default()))
}

/// One of the owner's titles in its form; another owner's is 404.
pub async fn edit_form(
    ctx: Ctx,
    caller: Caller,
    state: web::Data<AppState>,
    at: Place,
    id: i64,
) -> Result<HttpResponse, AppError> {
    let title = crate::routes::run(&state.pool, move |conn| {
        let owner = svc::owner_of(&caller)?;
        Ok(svc::get(conn, owner, id)?)
    })
    .await?;
    render(&form_page(
        ctx,
        at,
        Some(id),
        fields_of(title),
        FormErrors::default(),
    ))
}

/// rule B3: saves a new title (`id` None) or one of the owner's.
pub async fn save(
    ctx: Ctx,
    caller: Caller,
    session: Session,
    state: web::Data<AppState>,
    at: Place,
    id: Option<i64>,
    f: TitleFields,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    match svc::validate(&f) {
        Err(problems) => {
            for (field, key) in problems {
                errors.add(field, ctx.t(key));
            }
        }
        Ok(input) => {
            let outcome = crate::routes::run(&state.pool, move |conn| {
                refusal_or(match id {
                    Some(id) => svc::update(conn, &caller, id, &input),
                    None => svc::create(conn, &caller, &input).map(|_| ()),
                })
            })
            .await?;
            match outcome {
                Ok(()) => {
                    flash(&session, "success", ctx.t("invoices.titles.saved"));
                    return Ok(redirect(at.base));
                }
                Err(r @ BillingRefusal::SpecialForOrganisation) => {
                    errors.add("invoice_kind", ctx.t(r.key()))
                }
                Err(r) => errors.add("name", ctx.t(r.key())),
            }
        }
    }
    let page = form_page(ctx, at, id, f, errors);
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// rule B3: makes one of the owner's titles the default.
pub async fn make_default(
    ctx: Ctx,
    caller: Caller,
    session: Session,
    state: web::Data<AppState>,
    at: Place,
    id: i64,
) -> Result<HttpResponse, AppError> {
    crate::routes::run(&state.pool, move |conn| {
        Ok(svc::make_default(conn, &caller, id)?)
    })
    .await?;
    flash(&session, "success", ctx.t("invoices.titles.defaulted"));
    Ok(redirect(at.base))
}
