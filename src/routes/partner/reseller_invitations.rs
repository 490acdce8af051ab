//! `/partner/resellers/invitations…`: a distributor's admins invite reseller organisations
//! (rule R1) with a preview of the exact mail, and resend or revoke what they sent.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::{Email, InvitationKind, InvitationShown};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::cursor_id;
use crate::routes::partner::invitations::get::{invitation_pager, invitation_row};
use crate::services::customers::association::AssociationType;
use crate::services::invitations::{self as inv, Draft};
use crate::services::resellers::invitations as svc;
use crate::services::validate::check_text;
use crate::services::{Refusal, ServiceError, keyset};
use crate::state::AppState;
use crate::views::resellers::{ResellerInvitationsPage, ResellerInviteFormPage};
use crate::views::{Ctx, FormErrors, flash, redirect, render, render_with};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/partner/resellers/invitations",
        web::get().to(list_invitations),
    )
    .route(
        "/partner/resellers/invitations",
        web::post().to(send_invitation),
    )
    .route(
        "/partner/resellers/invitations/new",
        web::get().to(new_invitation),
    )
    .route(
        "/partner/resellers/invitations/preview",
        web::post().to(preview_invitation),
    )
    .route(
        "/partner/resellers/invitations/{id:\\d+}/resend",
        web::post().to(resend_invitation),
    )
    .route(
        "/partner/resellers/invitations/{id:\\d+}/revoke",
        web::post().to(revoke_invitation),
    );
}

#[derive(Deserialize)]
pub struct ListQuery {
    state: Option<String>,
    q: Option<String>,
    after: Option<String>,
    size: Option<String>,
}

/// rule R1: the reseller invitations and their states (pending, accepted, expired, revoked).
pub async fn list_invitations(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = query.state.as_deref().and_then(InvitationShown::parse);
    let q = keyset::q(query.q.as_deref());
    let before = cursor_id(&query.after);
    let size = keyset::size_of(query.size.as_deref());
    let (caller, text) = (member.caller.clone(), q.clone());
    let list = crate::routes::run(&state.pool, move |conn| {
        Ok(svc::list(conn, &caller, filter, &text, before, size)?)
    })
    .await?;
    let pager = invitation_pager(
        "/partner/resellers/invitations",
        &q,
        filter,
        size,
        before,
        list.next,
    );
    let rows = list.rows.into_iter().map(invitation_row).collect();
    render(&ResellerInvitationsPage {
        ctx,
        rows,
        state: filter.map_or("", InvitationShown::as_str).to_string(),
        q,
        pager,
    })
}

/// The form's fields (SPEC §5: `email`, `company`).
#[derive(Deserialize, Clone, Default)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    language: String,
}

fn check(form: &InviteForm, lang: Lang) -> Result<Draft, FormErrors> {
    let mut errors = FormErrors::default();
    let email = Email::parse(&form.email).map_err(|e| e.message_key());
    if let Err(key) = email {
        errors.add("email", lang.t(key));
    }
    check_text(&mut errors, lang, "company", &form.company, true, 200);
    match email {
        Ok(email) if errors.is_empty() => Ok(Draft {
            kind: InvitationKind::Reseller,
            email,
            company: form.company.trim().to_string(),
            // A reseller's customers are its own business; the column is not read for resellers.
            association_type: AssociationType::Resale,
            lang: Lang::parse(&form.language).unwrap_or(lang),
        }),
        _ => Err(errors),
    }
}

fn form_page(
    ctx: Ctx,
    state: &AppState,
    form: InviteForm,
    errors: FormErrors,
    preview: Option<crate::mail::RenderedMail>,
) -> ResellerInviteFormPage {
    let expires = inv::expiry_text(inv::expires_from_now(state.settings.invitation_ttl));
    let language = Lang::parse(&form.language)
        .unwrap_or(ctx.lang)
        .code()
        .to_string();
    ResellerInviteFormPage {
        ctx,
        email: form.email,
        company: form.company,
        language,
        errors,
        expires,
        preview,
    }
}

/// Distributor admins only: the guard every page here shares before it renders (it reads the
/// signed-in member only, no database).
fn require_distributor_admin(member: &Member) -> Result<(), AppError> {
    crate::services::resellers::distributor_admin(&member.caller)?;
    Ok(())
}

pub async fn new_invitation(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    require_distributor_admin(&member)?;
    render(&form_page(
        ctx,
        &state,
        InviteForm::default(),
        FormErrors::default(),
        None,
    ))
}

/// rule R1: the exact mail, rendered by the templates the real send uses.
pub async fn preview_invitation(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    require_distributor_admin(&member)?;
    let form = form.into_inner();
    let draft = match check(&form, ctx.lang) {
        Ok(d) => d,
        Err(errors) => {
            let page = form_page(ctx, &state, form, errors, None);
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let mail = super::invitations::preview_mail(&state, &member, &draft).await?;
    render(&form_page(
        ctx,
        &state,
        form,
        FormErrors::default(),
        Some(mail),
    ))
}

/// rule R1: invitation, audit row and outbox mail in one transaction.
pub async fn send_invitation(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    require_distributor_admin(&member)?;
    let form = form.into_inner();
    let draft = match check(&form, ctx.lang) {
        Ok(d) => d,
        Err(errors) => {
            let page = form_page(ctx, &state, form, errors, None);
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let (ttl, url) = (
        state.settings.invitation_ttl,
        state.settings.public_url.clone(),
    );
    let (caller, d) = (member.caller.clone(), draft.clone());
    let sent = crate::db::transaction(&state.pool, move |conn| {
        svc::send(conn, &caller, &d, ttl, &url)
    })
    .await;
    match sent {
        Err(ServiceError::Refused(refusal @ Refusal::Send(_))) => {
            let mut errors = FormErrors::default();
            errors.add("email", ctx.t(refusal.key()));
            let page = form_page(ctx, &state, form, errors, None);
            render_with(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e.into()),
        Ok(_) => {
            state.mail_wake.notify_one();
            flash(
                &session,
                "success",
                ctx.tf("resellers.invite.sent", &[("email", draft.email.as_str())]),
            );
            Ok(redirect("/partner/resellers/invitations"))
        }
    }
}

/// rule C3 for resellers: a new link and expiry; the old link stops working.
pub async fn resend_invitation(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let (ttl, url) = (
        state.settings.invitation_ttl,
        state.settings.public_url.clone(),
    );
    let caller = member.caller.clone();
    let done = crate::routes::transaction(&state.pool, move |conn| {
        Ok(svc::resend(conn, &caller, id, ttl, &url)?)
    })
    .await;
    match done {
        Ok(()) => {
            state.mail_wake.notify_one();
            flash(&session, "success", ctx.t("invite.resent_done"));
        }
        Err(AppError::Conflict(_)) => flash(&session, "error", ctx.t("invite.error.not_pending")),
        Err(e) => return Err(e),
    }
    Ok(redirect("/partner/resellers/invitations"))
}

/// rule C3 for resellers: the link stops working at once.
pub async fn revoke_invitation(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let caller = member.caller.clone();
    let revoked =
        crate::routes::transaction(&state.pool, move |conn| Ok(svc::revoke(conn, &caller, id)?))
            .await?;
    let key = if revoked {
        "invite.revoked_done"
    } else {
        "invite.error.not_pending"
    };
    flash(
        &session,
        if revoked { "success" } else { "error" },
        ctx.t(key),
    );
    Ok(redirect("/partner/resellers/invitations"))
}
