use actix_web::{HttpResponse, web};
use diesel::prelude::*;

use crate::auth::CustomerUser;
use crate::db::schema::{customers, organizations};
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::ledger::{self, AccountKind};
use crate::startup::AppState;
use crate::views::pages::{FeeCenterHomePage, local_time};
use crate::views::{Ctx, render};

/// The customer's home: the partner it is associated with, balance and credit (from the ledger).
pub async fn fee_center_home(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let customer_id = user.customer_id;
    let (company, partner, balance, credit) = crate::db::run(&state.pool, move |conn| {
        let (company, partner_id, assoc, since): (
            String,
            Option<i64>,
            Option<String>,
            Option<chrono::DateTime<chrono::Utc>>,
        ) = customers::table
            .find(customer_id)
            .select((
                customers::company,
                customers::partner_id,
                customers::association_type,
                customers::associated_at,
            ))
            .first(conn)?;
        let partner = match partner_id {
            Some(pid) => {
                let name: String = organizations::table
                    .find(pid)
                    .select(organizations::name)
                    .first(conn)?;
                Some((
                    name,
                    format!("association.{}", assoc.unwrap_or_default()),
                    since.map(local_time).unwrap_or_default(),
                ))
            }
            None => None,
        };
        let balance =
            ledger::accounts::for_customer(conn, customer_id, AccountKind::CustomerBalance)?;
        let credit =
            ledger::accounts::for_customer(conn, customer_id, AccountKind::CustomerCredit)?;
        Ok((
            company,
            partner,
            balance.balance,
            credit.available().unwrap_or_default(),
        ))
    })
    .await?;
    render(&FeeCenterHomePage {
        ctx,
        company,
        balance: format_amount(balance),
        credit: format_amount(credit),
        partner,
    })
}
