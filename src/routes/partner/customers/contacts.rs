//! Adding, editing and removing a customer's contacts (rule C10: at most five).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::auth::Member;
use crate::error::AppError;
use crate::services::customers::contacts::{self as svc, ContactForm, Saved};
use crate::services::customers::detail::MAX_CONTACTS;
use crate::state::AppState;
use crate::views::customers::ContactFormPage;
use crate::views::{Ctx, FormErrors, flash, redirect, render, render_with};

fn form_page(
    ctx: Ctx,
    id: i64,
    company: String,
    contact: Option<i64>,
    form: ContactForm,
    errors: FormErrors,
    message: String,
) -> ContactFormPage {
    let action = match contact {
        Some(cid) => format!("/partner/customers/{id}/contacts/{cid}"),
        None => format!("/partner/customers/{id}/contacts"),
    };
    ContactFormPage {
        ctx,
        id,
        company,
        action,
        editing: contact.is_some(),
        form,
        errors,
        message,
    }
}

/// Rule C10: the customer already has as many contacts as it may.
fn full_message(ctx: &Ctx) -> String {
    ctx.tf(
        "customers.contact.full",
        &[("max", &MAX_CONTACTS.to_string())],
    )
}

pub async fn new_contact_form(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let svc::FormContext { company, count, .. } = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::form_context(conn, &member.caller, id, None)?)
    })
    .await?;
    let message = if count >= MAX_CONTACTS {
        full_message(&ctx)
    } else {
        String::new()
    };
    render(&form_page(
        ctx,
        id,
        company,
        None,
        ContactForm::default(),
        FormErrors::default(),
        message,
    ))
}

pub async fn add_contact(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    form: web::Form<ContactForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let form = form.into_inner();
    let errors = form.check(ctx.lang);
    let (caller, f) = (member.caller.clone(), form.clone());
    let saved = if errors.is_empty() {
        Some(
            crate::routes::transaction(&state.pool, move |conn| {
                Ok(svc::add(conn, &caller, id, &f)?)
            })
            .await?,
        )
    } else {
        None
    };
    let message = match saved {
        Some(Saved::Done) => {
            flash(&session, "success", ctx.t("customers.contact.added"));
            return Ok(redirect(&format!("/partner/customers/{id}")));
        }
        Some(Saved::Full) => full_message(&ctx),
        None => ctx.t("form.fix_errors"),
    };
    let company = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::form_context(conn, &member.caller, id, None)?.company)
    })
    .await?;
    let page = form_page(ctx, id, company, None, form, errors, message);
    render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn edit_contact_form(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (id, cid) = path.into_inner();
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::form_context(conn, &member.caller, id, Some(cid))?)
    })
    .await?;
    let company = page.company;
    let form = page.form.unwrap_or_default();
    render(&form_page(
        ctx,
        id,
        company,
        Some(cid),
        form,
        FormErrors::default(),
        String::new(),
    ))
}

/// Saves an edited contact; the service puts back masked values sent unchanged (rule A5) and
/// checks the fields, so the form comes back with what was typed and the masks kept.
pub async fn update_contact(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
    form: web::Form<ContactForm>,
) -> Result<HttpResponse, AppError> {
    let (id, cid) = path.into_inner();
    let form = form.into_inner();
    let (lang, f) = (ctx.lang, form.clone());
    let edited = crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::update(conn, &member.caller, id, cid, &f, lang)?)
    })
    .await?;
    match edited {
        svc::Edited::Done => {
            flash(&session, "success", ctx.t("customers.contact.saved"));
            Ok(redirect(&format!("/partner/customers/{id}")))
        }
        svc::Edited::Invalid { company, errors } => {
            let message = ctx.t("form.fix_errors");
            let page = form_page(ctx, id, company, Some(cid), form, errors, message);
            render_with(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

pub async fn remove_contact(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (id, cid) = path.into_inner();
    crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::remove(conn, &member.caller, id, cid)?)
    })
    .await?;
    flash(&session, "success", ctx.t("customers.contact.removed"));
    Ok(redirect(&format!("/partner/customers/{id}")))
}
