use actix_web::{HttpResponse, web};
use chrono::Utc;
use diesel::prelude::*;

use crate::auth::Member;
use crate::db::schema::invitations;
use crate::domain::Role;
use crate::domain::money::format_amount;
use crate::error::AppError;
use crate::ledger::{self, AccountKind};
use crate::services::scope::visible_customers;
use crate::startup::AppState;
use crate::views::pages::PartnerHomePage;
use crate::views::{Ctx, render};

pub async fn dashboard(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let m = member.clone();
    let (customers, pending, cash) = crate::db::run(&state.pool, move |conn| {
        let customers: i64 = visible_customers(&m).count().get_result(conn)?;
        let mut inv = invitations::table
            .filter(invitations::partner_id.eq(m.org_id))
            .filter(invitations::state.eq("pending"))
            .filter(invitations::expires_at.gt(Utc::now()))
            .into_boxed();
        if m.role == Role::Manager {
            inv = inv.filter(invitations::inviter_id.eq(m.user_id));
        }
        let pending: i64 = inv.count().get_result(conn)?;
        let cash = if m.is_admin() {
            Some(format_amount(
                ledger::accounts::for_org(conn, m.org_id, AccountKind::PartnerCash)?.balance,
            ))
        } else {
            None
        };
        Ok((customers, pending, cash))
    })
    .await?;
    let org_name = member.who.org_name.clone().unwrap_or_default();
    let org_kind_key = format!("org_kind.{}", member.org_kind.as_str());
    render(&PartnerHomePage {
        ctx,
        org_name,
        org_kind_key,
        customers,
        pending_invitations: pending,
        cash,
    })
}
