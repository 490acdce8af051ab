use actix_session::Session;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use crate::auth::Member;
use crate::db::schema::organizations;
use crate::domain::mask;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::routes::cursor_id;
use crate::services::invitations::list;
use crate::state::AppState;
use crate::views::invitations::{InvitationListPage, InvitationRow};
use crate::views::{Ctx, Pager, render, take_page, url_encode};

const PAGE: i64 = crate::services::keyset::LOG_SIZE;

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    q: Option<String>,
    after: Option<String>,
}

/// rule C3: every invitation the member may see, with its state.
pub async fn list_invitations(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = query
        .state
        .clone()
        .filter(|s| list::STATES.contains(&s.as_str()));
    let q: String = query
        .q
        .clone()
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    let before = cursor_id(&query.after);
    let (m, f, text) = (member.clone(), filter.clone(), q.clone());
    let (mut rows, reminders) = crate::routes::run(&state.pool, move |conn| {
        let rows = list::page(conn, &m, f.as_deref(), &text, before, PAGE + 1)?;
        let reminders: bool = organizations::table
            .find(m.org_id)
            .select(organizations::invitation_reminders)
            .first(conn)?;
        Ok((rows, reminders))
    })
    .await?;
    let after = take_page(&mut rows, PAGE, |r| r.id.to_string());
    let base = format!(
        "q={}&state={}",
        url_encode(&q),
        filter.clone().unwrap_or_default()
    );
    let pager = Pager::new(&base, "/partner/invitations", before.is_none(), after);
    let rows = rows
        .into_iter()
        .map(|r| InvitationRow {
            id: r.id,
            email_masked: mask::email(&r.email),
            reveal_action: format!("/partner/invitations/{}/reveal", r.id),
            company: r.company,
            association_type: r.association_type,
            state: r.state,
            sent: local_time(r.sent_at),
            expires: local_time(r.expires_at),
            resent_count: r.resent_count,
            inviter: r.inviter,
        })
        .collect();
    let new_link: Option<String> = session.get(super::NEW_LINK_KEY).ok().flatten();
    if new_link.is_some() {
        session.remove(super::NEW_LINK_KEY);
    }
    render(&InvitationListPage {
        ctx,
        rows,
        state: filter.unwrap_or_default(),
        q,
        pager,
        new_link,
        reminders: member.is_admin().then_some(reminders),
    })
}

/// rule C1: the form shows the expiry before anything is sent.
pub async fn new_invitation_form(
    ctx: Ctx,
    _member: Member,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    render(&super::post::empty_form_page(ctx, &state))
}
