//! The CSV download that the list exports share (rule C10 masking is the callers' business):
//! a translated header row, one record a row, spreadsheet formulas defused, sent as an
//! attachment.

use actix_web::HttpResponse;
use actix_web::http::header;

use crate::error::AppError;
use crate::views::Ctx;

/// A `text/csv` attachment named `filename`: the header row is `head` (i18n keys) translated,
/// then every record of `records`.
pub fn respond<R, I>(
    ctx: &Ctx,
    head: &[&str],
    records: R,
    filename: &str,
) -> Result<HttpResponse, AppError>
where
    R: IntoIterator<Item = I>,
    I: IntoIterator<Item = String>,
{
    let csv_err = |e: csv::Error| AppError::internal(format!("csv: {e}"));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(head.iter().map(|k| ctx.t(k)))
        .map_err(csv_err)?;
    for record in records {
        out.write_record(record).map_err(csv_err)?;
    }
    let body = out
        .into_inner()
        .map_err(|e| AppError::internal(format!("csv: {e}")))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(body))
}

/// Text that a spreadsheet would run as a formula gets a leading quote.
pub fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}
