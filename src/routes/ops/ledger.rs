//! `/ops/ledger`: every account with its balance, each account's entries and CSV export, and
//! "Verify now", which runs `ledger verify` and records its result.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Operator;
use crate::error::AppError;
use crate::ledger::AccountKind;
use crate::routes::cursor_id;
use crate::services::ledger as pages;
use crate::services::ops;
use crate::state::AppState;
use crate::views::ledger::{OpsLedgerAccountPage, OpsLedgerPage, csv_header, csv_response};
use crate::views::{Ctx, Pager, flash, redirect, render, url_encode};

const KINDS: [&str; 8] = [
    "partner_cash",
    "customer_balance",
    "customer_credit",
    "voucher_quota",
    "cash_coupon_quota",
    "coupon",
    "platform",
    "external",
];

#[derive(Deserialize)]
pub struct AccountsQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    after: Option<String>,
    size: Option<String>,
}

pub async fn list_ledger_accounts(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    query: web::Query<AccountsQuery>,
) -> Result<HttpResponse, AppError> {
    let q = crate::services::keyset::q(Some(&query.q));
    let kind = AccountKind::parse(&query.kind);
    let after = cursor_id(&query.after);
    let size = crate::services::keyset::size_of(query.size.as_deref());
    let text = q.clone();
    let pages::OpsAccounts { rows, next, last } = crate::routes::run(&state.pool, move |conn| {
        Ok(pages::ops_accounts(
            conn, &op.caller, &text, kind, after, size,
        )?)
    })
    .await?;
    let kind = kind.map_or("", AccountKind::as_str).to_string();
    let base = crate::routes::with_size(format!("q={}&kind={kind}", url_encode(&q)), size);
    render(&OpsLedgerPage {
        ctx,
        q,
        kind,
        kinds: KINDS.to_vec(),
        rows: rows.into_iter().map(Into::into).collect(),
        pager: Pager::new(&base, "/ops/ledger", after.is_none(), next),
        last: last.map(Into::into),
    })
}

#[derive(Deserialize)]
pub struct EntriesQuery {
    after: Option<String>,
}

pub async fn show_ledger_account(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<EntriesQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let before = cursor_id(&query.after);
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(pages::account_entries(conn, &op.caller, id, before)?)
    })
    .await?;
    let path = format!("/ops/ledger/accounts/{id}");
    render(&OpsLedgerAccountPage {
        ctx,
        account: page.account.into(),
        entries: page.entries.into_iter().map(Into::into).collect(),
        pager: Pager::new("", &path, before.is_none(), page.next),
        show_counterparty: true,
    })
}

pub async fn export_ledger_account(
    ctx: Ctx,
    op: Operator,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let header = csv_header(&ctx);
    let body = crate::routes::run(&state.pool, move |conn| {
        Ok(pages::export_entries(conn, &op.caller, id, &header)?)
    })
    .await?;
    Ok(csv_response(&format!("ledger-account-{id}.csv"), body))
}

pub async fn verify_ledger(
    ctx: Ctx,
    op: Operator,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let report = crate::routes::run(&state.pool, move |conn| {
        Ok(ops::verify_ledger(conn, &op.caller)?)
    })
    .await?;
    if report.ok() {
        let (accounts, entries) = (
            report.accounts_checked.to_string(),
            report.entries_checked.to_string(),
        );
        let text = ctx.tf(
            "ops.ledger.verify_passed",
            &[("accounts", &accounts), ("entries", &entries)],
        );
        flash(&session, "success", text);
    } else {
        let count = report.problems.len().to_string();
        flash(
            &session,
            "error",
            ctx.tf("ops.ledger.verify_failed", &[("count", &count)]),
        );
    }
    Ok(redirect("/ops/ledger"))
}
