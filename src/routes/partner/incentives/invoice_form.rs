//! `/partner/incentives/invoices/new` and its POST (rule B8), admins only: paid incentives
//! grouped by request, `incentive_id` (repeated), `tax_rate` (3 or 6), `number`, `issued_on`
//! (`YYYY-MM-DD`), an optional `file`, a hidden key. The form is a multipart upload; every
//! problem comes back beside its field with the values kept.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;

use crate::auth::Member;
use crate::domain::incentives::TaxRate;
use crate::error::AppError;
use crate::routes::upload::{self, UploadError};
use crate::services::customers::top_up::valid_key;
use crate::services::incentives::file::{self, FILE_MAX};
use crate::services::incentives::invoices::{self as svc, NewInvoice, valid_number};
use crate::services::incentives::{CHOSEN_MAX, partner_lists as reads};
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::incentives::IncentiveRow;
use crate::views::incentives::partner::{InvoiceFormPage, InvoiceGroup};
use crate::views::{Ctx, FormErrors, flash, redirect, render_with};

/// A file of up to `FILE_MAX` and the form's other fields.
const UPLOAD: upload::Limits = upload::Limits {
    total_bytes: FILE_MAX + 64 * 1024,
    max_fields: CHOSEN_MAX + 8,
    field_bytes: FILE_MAX,
};

/// The form as typed.
#[derive(Default)]
struct InvoiceForm {
    ids: Vec<String>,
    tax_rate: String,
    number: String,
    issued_on: String,
    file: Vec<u8>,
    key: String,
}

impl InvoiceForm {
    fn read(fields: Vec<upload::Field>) -> InvoiceForm {
        let mut f = InvoiceForm::default();
        for field in fields {
            let text = || String::from_utf8_lossy(&field.content).trim().to_string();
            match field.name.as_str() {
                "incentive_id" => f.ids.push(text()),
                "tax_rate" => f.tax_rate = text(),
                "number" => f.number = text(),
                "issued_on" => f.issued_on = text(),
                "key" => f.key = text(),
                "file" => f.file = field.content,
                _ => {}
            }
        }
        f
    }

    /// The ids as numbers, dropping what no checkbox of ours sends.
    fn ids(&self) -> Vec<i64> {
        self.ids.iter().filter_map(|s| s.parse().ok()).collect()
    }

    fn parse(&mut self, ctx: &Ctx) -> Result<NewInvoice, FormErrors> {
        let mut errors = FormErrors::default();
        let ids = self.ids();
        if ids.is_empty() {
            errors.add("incentive_id", ctx.t("incentives.refused.none_chosen"));
        }
        // rule B8: 3% or 6%, nothing else.
        let tax_rate = TaxRate::parse(&self.tax_rate);
        if tax_rate.is_none() {
            errors.add("tax_rate", ctx.t("incentives.refused.tax_rate"));
        }
        if !valid_number(&self.number) {
            errors.add("number", ctx.t("incentives.error.number"));
        }
        let today = crate::services::credit::line::today();
        let issued_on = NaiveDate::parse_from_str(&self.issued_on, "%Y-%m-%d").ok();
        match issued_on {
            None => errors.add("issued_on", ctx.t("incentives.error.date")),
            Some(d) if d > today => errors.add("issued_on", ctx.t("incentives.error.date_ahead")),
            _ => {}
        }
        let file = match file::read(std::mem::take(&mut self.file)) {
            Ok(f) => f,
            Err(problem) => {
                errors.add("file", ctx.t(problem.key()));
                None
            }
        };
        match (tax_rate, issued_on) {
            (Some(tax_rate), Some(issued_on)) if errors.is_empty() => Ok(NewInvoice {
                incentive_ids: ids,
                tax_rate,
                number: self.number.clone(),
                issued_on,
                file,
            }),
            _ => Err(errors),
        }
    }
}

async fn form_page(
    ctx: Ctx,
    member: &Member,
    state: &AppState,
    form: InvoiceForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let caller = member.caller.clone();
    let rows = crate::routes::run(&state.pool, move |conn| {
        Ok(reads::invoiceable(conn, &caller)?)
    })
    .await?;
    let mut groups: Vec<InvoiceGroup> = Vec::new();
    for line in rows {
        let (payout_id, batch) = (line.payout_id.unwrap_or_default(), line.payout_batch);
        let row = IncentiveRow::new(&ctx, line);
        match groups.last_mut() {
            Some(g) if g.payout_id == payout_id => g.rows.push(row),
            _ => groups.push(InvoiceGroup {
                payout_id,
                batch: batch.unwrap_or(false),
                rows: vec![row],
            }),
        }
    }
    let message = if errors.is_empty() {
        String::new()
    } else {
        ctx.t("form.fix_errors")
    };
    render_with(
        status,
        &InvoiceFormPage {
            groups,
            checked: form.ids(),
            tax_rate: form.tax_rate,
            number: form.number,
            issued_on: form.issued_on,
            key: form.key,
            errors,
            message,
            ctx,
        },
    )
}

pub async fn invoice_form(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let form = InvoiceForm {
        tax_rate: "6".into(),
        issued_on: crate::services::credit::line::today()
            .format("%Y-%m-%d")
            .to_string(),
        key: uuid::Uuid::new_v4().to_string(),
        ..InvoiceForm::default()
    };
    form_page(
        ctx,
        &member,
        &state,
        form,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// rule B8: submits the invoice; refusals come back beside their fields.
pub async fn submit_invoice(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let mut form = match upload::read(&req, payload, UPLOAD).await {
        Ok(fields) => InvoiceForm::read(fields),
        Err(refused) => {
            let (status, key) = match refused {
                UploadError::TooLarge => (
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "incentives.invoice.file_too_large",
                ),
                UploadError::FieldTooLarge => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "incentives.invoice.file_too_large",
                ),
                UploadError::TooManyFields | UploadError::Malformed(_) => {
                    (StatusCode::BAD_REQUEST, "incentives.invoice.unreadable")
                }
            };
            let mut errors = FormErrors::default();
            errors.add("file", ctx.t(key));
            let form = InvoiceForm {
                key: uuid::Uuid::new_v4().to_string(),
                ..InvoiceForm::default()
            };
            return form_page(ctx, &member, &state, form, errors, status).await;
        }
    };
    if !valid_key(&form.key) {
        return Err(AppError::BadRequest("form key".into()));
    }
    let new = match form.parse(&ctx) {
        Ok(new) => new,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return form_page(ctx, &member, &state, form, errors, status).await;
        }
    };
    let (caller, key) = (member.caller.clone(), form.key.clone());
    let outcome = crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::submit(conn, &caller, &new, &key))
    })
    .await?;
    let mut errors = FormErrors::default();
    match outcome {
        Ok(_) => {
            flash(&session, "success", ctx.t("incentives.invoice.submitted"));
            return Ok(redirect("/partner/incentives/invoices"));
        }
        Err(ServiceError::Refused(Refusal::Incentive(r))) => errors.add(r.field(), ctx.t(r.key())),
        Err(e) => return Err(e.into()),
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    form_page(ctx, &member, &state, form, errors, status).await
}
