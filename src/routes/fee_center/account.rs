//! `/fee-center/account`: the customer's money page (SPEC §6 "Settlement"): balance, credit
//! line, open debts and the movements of the balance and the credit line, keyset-paged.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::CustomerUser;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::routes::cursor_id;
use crate::services::credit::account::{self as svc, Movement};
use crate::services::keyset;
use crate::state::AppState;
use crate::views::credit::{CreditPanel, FeeAccountPage, MovementLine};
use crate::views::{Ctx, Pager, render};

#[derive(Deserialize)]
pub struct AccountQuery {
    after: Option<String>,
    size: Option<String>,
}

/// What a movement was, in the page's language; kinds of other areas show as stored.
fn what(ctx: &Ctx, kind: &str) -> String {
    let key = format!("credit.movement.{kind}");
    let text = ctx.t(&key);
    if text == key || text.ends_with(&key) {
        kind.to_string()
    } else {
        text
    }
}

fn line(ctx: &Ctx, m: Movement, credit_account: Option<i64>) -> MovementLine {
    let incoming = m.amount.is_sign_positive();
    let amount = format_amount(m.amount);
    MovementLine {
        at: local_time(m.at),
        account_key: if Some(m.account_id) == credit_account {
            "credit.account.credit"
        } else {
            "credit.account.balance"
        },
        what: what(ctx, &m.kind),
        memo: m.memo,
        amount: if incoming {
            format!("+{amount}")
        } else {
            amount
        },
        incoming,
        balance_after: format_amount(m.balance_after),
    }
}

pub async fn show_fee_account(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
    query: web::Query<AccountQuery>,
) -> Result<HttpResponse, AppError> {
    let before = cursor_id(&query.after);
    // SPEC §6 "List queries": 20 movements by default, 50 or 100 when asked.
    let size = keyset::offered_size(query.size.as_deref().and_then(|s| s.parse().ok()));
    let a = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::of_customer(conn, &user.caller, before, size)?)
    })
    .await?;
    let sized = crate::routes::with_size(String::new(), size);
    let credit_account = a.credit_account;
    let movements = a
        .movements
        .into_iter()
        .map(|m| line(&ctx, m, credit_account))
        .collect();
    render(&FeeAccountPage {
        balance: format_amount(a.balance),
        credit_panel: CreditPanel::new(a.credit, None),
        movements,
        pager: Pager::new(&sized, "/fee-center/account", before.is_none(), a.next),
        ctx,
    })
}
