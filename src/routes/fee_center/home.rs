use actix_web::{HttpResponse, web};

use crate::auth::CustomerUser;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::services::homes;
use crate::state::AppState;
use crate::views::pages::FeeCenterHomePage;
use crate::views::{Ctx, render};

/// The customer's home: the partner it is associated with, balance and credit (from the ledger).
pub async fn fee_center_home(
    ctx: Ctx,
    user: CustomerUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let home = crate::routes::run(&state.pool, move |conn| {
        Ok(homes::fee_center_home(conn, &user.caller)?)
    })
    .await?;
    let partner = home.partner.map(|p| {
        (
            p.name,
            format!("association.{}", p.association_type),
            p.since.map(local_time).unwrap_or_default(),
        )
    });
    let (company, balance, credit) = (home.company, home.balance, home.credit_available);
    render(&FeeCenterHomePage {
        ctx,
        company,
        balance: format_amount(balance),
        credit: format_amount(credit),
        partner,
        vouchers: format_amount(home.coupons.vouchers),
        cash_coupons: format_amount(home.coupons.cash_coupons),
    })
}
