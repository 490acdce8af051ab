//! `/partner/account`: an admin's view of the organisation's own ledger accounts — its cash
//! balance and, one line each, its quota grants (each has its own account, SPEC §5 "Quota
//! grants") — and each account's entries with CSV export; the withdrawable amount and the
//! withdrawals (rule P4, `withdrawals`).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::routes::cursor_id;
use crate::services::credit::withdrawals as withdrawals_svc;
use crate::services::keyset::DEFAULT_SIZE;
use crate::services::ledger as pages;
use crate::state::AppState;
use crate::views::ledger::{
    BalanceLine, GrantBalanceLine, PartnerAccountEntriesPage, PartnerAccountPage, csv_header,
    csv_response,
};
use crate::views::{Ctx, FormErrors, Pager, render};

use super::withdrawals::{WithdrawForm, panel};

#[derive(Deserialize)]
pub struct AccountQuery {
    after: Option<String>,
}

pub async fn show_account(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<AccountQuery>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let before = cursor_id(&query.after);
    let form = WithdrawForm::fresh();
    let page = account_page(ctx, member, &state, before, form, FormErrors::default(), "").await?;
    render(&page)
}

/// The account page, with the withdrawal form as the admin left it (rule P4).
pub async fn account_page(
    ctx: Ctx,
    member: Member,
    state: &AppState,
    before: Option<i64>,
    form: WithdrawForm,
    errors: FormErrors,
    message: &str,
) -> Result<PartnerAccountPage, AppError> {
    member.require_admin()?;
    let reseller = member.org_kind == crate::domain::OrgKind::Reseller;
    let caller = member.caller.clone();
    let (accounts, funds, overview) = crate::routes::run(&state.pool, move |conn| {
        let accounts = pages::partner_accounts(conn, &caller)?;
        // rule R3: a reseller sees what its distributor allocated and reclaimed.
        let funds = if reseller {
            Some(crate::services::resellers::funds::for_reseller(
                conn,
                &caller,
                None,
                crate::services::keyset::DEFAULT_SIZE,
            )?)
        } else {
            None
        };
        let overview = withdrawals_svc::overview(conn, &caller, before, DEFAULT_SIZE)?;
        Ok((accounts, funds, overview))
    })
    .await?;
    let withdrawals = panel(&ctx, overview, before.is_none(), form, errors, message);
    let line = |kind: &'static str, a: Option<&crate::ledger::LedgerAccount>| BalanceLine {
        // A reseller's cash is the balance its distributor allocates: "reseller balance".
        kind: if reseller && kind == "partner_cash" {
            "reseller_balance"
        } else {
            kind
        },
        id: a.map(|a| a.id),
        balance: format_amount(a.map(|a| a.balance).unwrap_or_default()),
        frozen: a.is_some_and(|a| a.frozen),
    };
    let balances = accounts
        .standard
        .iter()
        .map(|(kind, a)| line(kind.as_str(), a.as_ref()))
        .collect();
    let others = accounts
        .others
        .iter()
        .map(|a| {
            let kind = crate::ledger::AccountKind::parse(&a.kind).map_or("coupon", |k| k.as_str());
            line(kind, Some(a))
        })
        .collect();
    let grants = accounts
        .grants
        .into_iter()
        .map(|g| GrantBalanceLine {
            id: g.id,
            kind: g.kind,
            account_id: g.account_id,
            balance: format_amount(g.balance),
            state: g.state,
        })
        .collect();
    let reseller_funds = funds.map(|(distributor, history)| {
        (distributor, super::resellers::history_rows(&ctx, history).0)
    });
    Ok(PartnerAccountPage {
        ctx,
        balances,
        grants,
        others,
        reseller_funds,
        withdrawals,
    })
}

#[derive(Deserialize)]
pub struct EntriesQuery {
    after: Option<String>,
}

pub async fn show_account_entries(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<EntriesQuery>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let id = id.into_inner();
    let before = cursor_id(&query.after);
    let page = crate::routes::run(&state.pool, move |conn| {
        Ok(pages::account_entries(conn, &member.caller, id, before)?)
    })
    .await?;
    let path = format!("/partner/account/{id}");
    render(&PartnerAccountEntriesPage {
        ctx,
        account: page.account.into(),
        entries: page.entries.into_iter().map(Into::into).collect(),
        pager: Pager::new("", &path, before.is_none(), page.next),
        show_counterparty: false,
    })
}

pub async fn export_account_entries(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    member.require_admin()?;
    let id = id.into_inner();
    let header = csv_header(&ctx);
    let body = crate::routes::run(&state.pool, move |conn| {
        Ok(pages::export_entries(conn, &member.caller, id, &header)?)
    })
    .await?;
    Ok(csv_response(&format!("account-{id}.csv"), body))
}
