use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::InvitationShown;
use crate::domain::mask;
use crate::error::AppError;
use crate::i18n::local_time;
use crate::routes::cursor_id;
use crate::services::invitations::list;
use crate::state::AppState;
use crate::views::invitations::{InvitationListPage, InvitationRow};
use crate::views::{Ctx, Pager, render, url_encode};

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    q: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

/// One invitation line, address masked (rule A5), for either kind's list.
pub(crate) fn invitation_row(r: list::Listed) -> InvitationRow {
    InvitationRow {
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
    }
}

/// The pager of an invitation list at `path`, keeping `q`, the state and a chosen size.
pub(crate) fn invitation_pager(
    path: &str,
    q: &str,
    filter: Option<InvitationShown>,
    size: i64,
    before: Option<i64>,
    after: Option<String>,
) -> Pager {
    let base = crate::routes::with_size(
        format!(
            "q={}&state={}",
            url_encode(q),
            filter.map_or("", InvitationShown::as_str)
        ),
        size,
    );
    Pager::new(&base, path, before.is_none(), after)
}

/// rule C3: every invitation the member may see, with its state.
pub async fn list_invitations(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = query.state.as_deref().and_then(InvitationShown::parse);
    let q = crate::services::keyset::q(query.q.as_deref());
    let before = cursor_id(&query.after);
    // SPEC §6 "List queries": 20 a page unless 50 or 100 is asked for.
    let size = crate::services::keyset::size_of(query.size.as_deref());
    let (caller, f, text) = (member.caller.clone(), filter, q.clone());
    let list::InvitationList {
        rows,
        next: after,
        reminders,
    } = crate::routes::run(&state.pool, move |conn| {
        Ok(list::list(
            conn,
            &caller,
            crate::domain::InvitationKind::Customer,
            f,
            &text,
            before,
            size,
        )?)
    })
    .await?;
    let pager = invitation_pager("/partner/invitations", &q, filter, size, before, after);
    let rows = rows.into_iter().map(invitation_row).collect();
    render(&InvitationListPage {
        ctx,
        rows,
        state: filter.map_or("", InvitationShown::as_str).to_string(),
        q,
        pager,
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
