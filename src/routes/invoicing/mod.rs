//! Invoicing handlers shared by more than one area (rules B3–B7): the titles pages of the fee
//! center and the partner area, and the issuers' processing pages of the partner area and the
//! operator console. Each area registers its own paths and guard and calls these.

pub mod handlers;
pub mod process_forms;
pub mod processing;
pub mod titles;

use actix_web::HttpResponse;

use crate::error::AppError;
use crate::services::ServiceError;
use crate::services::billing::BillingRefusal;

/// A billing refusal kept for the form, anything else for the error page.
pub fn refusal_or<T>(r: Result<T, ServiceError>) -> Result<Result<T, BillingRefusal>, AppError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(ServiceError::Refused(crate::services::Refusal::Billing(b))) => Ok(Err(b)),
        Err(e) => Err(e.into()),
    }
}

/// A file as a download: its stored type, `attachment` with the built name, never sniffed.
pub fn download(file: crate::services::invoices::files::Download) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(file.content_type)
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", file.file_name),
        ))
        .insert_header((actix_web::http::header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((actix_web::http::header::CACHE_CONTROL, "private, no-store"))
        .body(file.bytes)
}
