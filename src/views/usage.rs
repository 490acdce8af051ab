//! Template structs of the operators' usage page (rule B2): the upload form, the latest imports
//! with their progress, one import's page while it runs and after, and the form that issues a
//! closed month's bills.

use askama::Template;

use crate::views::{Ctx, FormErrors};

/// One import as the pages show it.
pub struct ImportRow {
    pub id: i64,
    pub file_name: String,
    pub state: String,
    pub state_label: String,
    pub running: bool,
    pub percent: i64,
    pub rows_read: i64,
    pub rows_imported: i64,
    pub rows_already: i64,
    pub rows_rejected: i64,
    /// Why the file could not be read, translated; empty when it could.
    pub problem: String,
    pub by: String,
    pub created_at: String,
    pub finished_at: String,
}

#[derive(Template)]
#[template(path = "ops/usage.html")]
pub struct UsagePage {
    pub ctx: Ctx,
    pub imports: Vec<ImportRow>,
    pub errors: FormErrors,
    /// The month the issue form offers: the last closed one (`YYYY-MM`).
    pub month: String,
}

#[derive(Template)]
#[template(path = "ops/usage_import.html")]
pub struct UsageImportPage {
    pub ctx: Ctx,
    pub import: ImportRow,
}
