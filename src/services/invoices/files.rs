//! E-invoice files (rule B7), kept in the database beside their invoice: a PDF the issuer
//! uploads (at most `MAX_BYTES`, and it must start like a PDF), or, when none is uploaded, a
//! plain-text e-invoice generated from the invoice. Served as a download under a name built
//! from the invoice number (never the uploaded name) with the stored content type.

use diesel::prelude::*;
use rust_decimal::Decimal;

use super::process::access;
use crate::db::schema::{
    invoice_files as f, invoice_requests as r, invoices as inv, organizations,
};
use crate::domain::Caller;
use crate::domain::money::format_amount;
use crate::services::ServiceResult;

/// The largest e-invoice file kept (the database refuses larger ones too).
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
pub const PDF: &str = "application/pdf";
pub const TEXT: &str = "text/plain; charset=utf-8";

/// A file as uploaded.
#[derive(Debug, Clone)]
pub struct Upload {
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileProblem {
    TooLarge,
    NotPdf,
}

impl FileProblem {
    pub fn key(self) -> &'static str {
        match self {
            FileProblem::TooLarge => "invoices.file.too_large",
            FileProblem::NotPdf => "invoices.file.not_pdf",
        }
    }
}

/// Whether an upload can be kept: a PDF within the size limit.
pub fn check(upload: &Upload) -> Result<(), FileProblem> {
    if upload.bytes.len() > MAX_BYTES {
        return Err(FileProblem::TooLarge);
    }
    if !upload.bytes.starts_with(b"%PDF-") {
        return Err(FileProblem::NotPdf);
    }
    Ok(())
}

fn safe_name(number: &str, ext: &str) -> String {
    let clean: String = number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(60)
        .collect();
    format!("invoice-{clean}.{ext}")
}

/// Keeps the issued invoice's file: the upload, or a generated text e-invoice.
pub fn store(conn: &mut PgConnection, invoice: i64, upload: Option<&Upload>) -> ServiceResult<()> {
    if let Some(u) = upload {
        check(u).map_err(|_| crate::services::ServiceError::Malformed("file"))?;
    }
    let number: String = inv::table
        .find(invoice)
        .select(inv::number.assume_not_null())
        .first(conn)?;
    let (name, content_type, bytes, uploaded) = match upload {
        Some(u) => (safe_name(&number, "pdf"), PDF, u.bytes.clone(), true),
        None => (
            safe_name(&number, "txt"),
            TEXT,
            generated(conn, invoice)?.into_bytes(),
            false,
        ),
    };
    diesel::insert_into(f::table)
        .values((
            f::invoice_id.eq(invoice),
            f::file_name.eq(name),
            f::content_type.eq(content_type),
            f::bytes.eq(bytes),
            f::uploaded.eq(uploaded),
        ))
        .execute(conn)?;
    Ok(())
}

/// A plain-text e-invoice: who issues it, to whom, the rate, the amount and its tax.
fn generated(conn: &mut PgConnection, invoice: i64) -> ServiceResult<String> {
    type Facts = (
        String,
        Option<chrono::NaiveDate>,
        String,
        i16,
        Decimal,
        Option<i64>,
        serde_json::Value,
    );
    let (number, issued_on, entity, rate, amount, issuer, title): Facts = inv::table
        .inner_join(r::table)
        .filter(inv::id.eq(invoice))
        .select((
            inv::number.assume_not_null(),
            inv::issued_on,
            inv::signing_entity,
            inv::tax_rate,
            inv::amount,
            inv::issuer_org_id,
            r::title,
        ))
        .first(conn)?;
    let seller = match issuer {
        Some(o) => organizations::table
            .find(o)
            .select(organizations::name)
            .first(conn)?,
        None => entity.clone(),
    };
    let tax = (amount * Decimal::from(rate) / Decimal::from(100 + rate)).round_dp(2);
    let field = |k: &str| {
        title
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    Ok(format!(
        "E-INVOICE / 电子发票\n\nNumber / 发票号码: {number}\nDate / 开票日期: {}\n\
         Seller / 销售方: {seller}\nSigning entity / 签约主体: {entity}\n\
         Buyer / 购买方: {}\nTax id / 税号: {}\n\
         Tax rate / 税率: {rate}%\nAmount incl. tax / 价税合计: {}\nTax / 税额: {}\n",
        issued_on.map(|d| d.to_string()).unwrap_or_default(),
        field("name"),
        field("tax_id"),
        format_amount(amount),
        format_amount(tax),
    ))
}

/// A file ready to send.
pub struct Download {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// The invoice's file for whoever may read the invoice (404 otherwise, and when there is none).
pub fn download(conn: &mut PgConnection, caller: &Caller, invoice: i64) -> ServiceResult<Download> {
    let (customer, issuer): (i64, Option<i64>) = inv::table
        .find(invoice)
        .select((inv::customer_id, inv::issuer_org_id))
        .first(conn)?;
    access(conn, caller, issuer, customer, false)?;
    let (file_name, content_type, bytes) = f::table
        .find(invoice)
        .select((f::file_name, f::content_type, f::bytes))
        .first(conn)?;
    Ok(Download {
        file_name,
        content_type,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_pdf_within_the_limit_is_kept_and_names_are_built_not_taken() {
        assert_eq!(
            check(&Upload {
                bytes: b"%PDF-1.7 ...".to_vec()
            }),
            Ok(())
        );
        assert_eq!(
            check(&Upload {
                bytes: b"<html>".to_vec()
            }),
            Err(FileProblem::NotPdf)
        );
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_BYTES + 1, b' ');
        assert_eq!(check(&Upload { bytes: big }), Err(FileProblem::TooLarge));
        assert_eq!(safe_name("12\"; x=../a", "pdf"), "invoice-12xa.pdf");
    }
}
