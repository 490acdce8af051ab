//! Template structs of the coupon pages (issue): the issue form and the bulk (CSV) pages.

use askama::Template;

use crate::views::{Ctx, FormErrors, Pager};

/// One grant in the select: kind, validity, scope and what is left, already worded.
pub struct GrantOption {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

/// One service the coupon may be limited to.
pub struct ServiceOption {
    pub code: String,
    pub name: String,
    pub checked: bool,
}

/// One customer in the chooser (e-mail masked).
pub struct CustomerOption {
    pub id: i64,
    pub company: String,
    pub email_masked: String,
    pub checked: bool,
}

/// One chosen customer and why it was refused (empty: nothing against it).
pub struct ReasonRow {
    pub customer: String,
    pub email_masked: String,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "partner/coupons/issue.html")]
pub struct IssueFormPage {
    pub ctx: Ctx,
    pub grants: Vec<GrantOption>,
    pub services: Vec<ServiceOption>,
    /// What "no service ticked" means for the chosen grant.
    pub scope_note: String,
    pub chosen: Vec<CustomerOption>,
    pub matches: Vec<CustomerOption>,
    pub q: String,
    pub face_value: String,
    pub valid_until: String,
    pub remark: String,
    pub key: String,
    pub errors: FormErrors,
    pub message: String,
    pub reasons: Vec<ReasonRow>,
}

#[derive(Template)]
#[template(path = "partner/coupons/bulk.html")]
pub struct BulkFormPage {
    pub ctx: Ctx,
    pub grants: Vec<GrantOption>,
    pub errors: FormErrors,
    pub message: String,
}

/// One row of a bulk file with its result.
pub struct BulkRowView {
    pub line: u32,
    pub customer: String,
    pub company: String,
    pub face_value: String,
    pub valid_until: String,
    /// Empty when the row is fine.
    pub error: String,
}

#[derive(Template)]
#[template(path = "partner/coupons/bulk_preview.html")]
pub struct BulkPreviewPage {
    pub ctx: Ctx,
    pub id: i64,
    pub grant: String,
    pub row_count: usize,
    pub rejected: usize,
    pub total: String,
    pub available: String,
    pub covered: bool,
    pub issuable: bool,
    pub issued: bool,
    pub issue_label: String,
    /// Why the file cannot be issued, or what the last confirm found.
    pub message: String,
    pub rows: Vec<BulkRowView>,
    pub showing: String,
    pub pager: Pager,
}
