use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::auth::Member;
use crate::domain::Email;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::services::customers::association::AssociationType;
use crate::services::invitations::{self, Draft};
use crate::services::validate::check_text;
use crate::services::{Refusal, ServiceError};
use crate::state::AppState;
use crate::views::invitations::NewInvitationPage;
use crate::views::{Ctx, FormErrors, flash, redirect, render, render_with};

/// The new-invitation form (SPEC §5 names).
#[derive(Deserialize, Clone, Default)]
pub struct InvitationForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    association_type: String,
    #[serde(default)]
    language: String,
}

fn check(form: &InvitationForm, lang: Lang) -> Result<Draft, FormErrors> {
    let mut errors = FormErrors::default();
    let email = Email::parse(&form.email).map_err(|e| e.message_key());
    if let Err(key) = email {
        errors.add("email", lang.t(key));
    }
    check_text(&mut errors, lang, "company", &form.company, false, 200);
    let kind = AssociationType::parse(&form.association_type);
    if kind.is_none() {
        errors.add("association_type", lang.t("invite.error.type"));
    }
    match (email, kind, errors.is_empty()) {
        (Ok(email), Some(association_type), true) => Ok(Draft {
            kind: crate::domain::InvitationKind::Customer,
            email,
            company: form.company.trim().to_string(),
            association_type,
            lang: Lang::parse(&form.language).unwrap_or(lang),
        }),
        _ => Err(errors),
    }
}

fn form_page(
    ctx: Ctx,
    state: &AppState,
    form: InvitationForm,
    errors: FormErrors,
    preview: Option<crate::mail::RenderedMail>,
) -> NewInvitationPage {
    let expires =
        invitations::expiry_text(invitations::expires_from_now(state.settings.invitation_ttl));
    let language = Lang::parse(&form.language)
        .unwrap_or(ctx.lang)
        .code()
        .to_string();
    NewInvitationPage {
        ctx,
        email: form.email,
        company: form.company,
        association_type: form.association_type,
        language,
        errors,
        expires,
        preview,
    }
}

/// The form again with its messages beside the fields.
fn rejected(
    ctx: Ctx,
    state: &AppState,
    form: InvitationForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    render_with(status, &form_page(ctx, state, form, errors, None))
}

/// The empty form (rule C1: it shows the expiry before anything is sent).
pub(super) fn empty_form_page(ctx: Ctx, state: &AppState) -> NewInvitationPage {
    let form = InvitationForm {
        association_type: "resale".into(),
        ..InvitationForm::default()
    };
    form_page(ctx, state, form, FormErrors::default(), None)
}

/// rule C1: Preview renders the mail from the same templates the real send uses.
pub async fn preview_invitation(
    ctx: Ctx,
    member: Member,
    state: web::Data<AppState>,
    form: web::Form<InvitationForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let draft = match check(&form, ctx.lang) {
        Ok(d) => d,
        Err(errors) => {
            return rejected(ctx, &state, form, errors, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let mail = super::preview_mail(&state, &member, &draft).await?;
    render(&form_page(
        ctx,
        &state,
        form,
        FormErrors::default(),
        Some(mail),
    ))
}

/// rule C1: invitation, audit row and outbox mail in one transaction.
pub async fn send_invitation(
    ctx: Ctx,
    member: Member,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<InvitationForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let draft = match check(&form, ctx.lang) {
        Ok(d) => d,
        Err(errors) => {
            return rejected(ctx, &state, form, errors, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (ttl, url) = super::ttl_and_url(&state);
    let m = member.clone();
    let d = draft.clone();
    let sent = crate::db::transaction(&state.pool, move |conn| {
        invitations::send(conn, &m.caller, &d, ttl, &url)
    })
    .await;
    match sent {
        Err(ServiceError::Refused(refusal @ Refusal::Send(_))) => {
            let mut errors = FormErrors::default();
            errors.add("email", ctx.t(refusal.key()));
            rejected(ctx, &state, form, errors, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
        Ok(_) => {
            super::mail_sent(&state);
            flash(
                &session,
                "success",
                ctx.tf("invite.sent_flash", &[("email", draft.email.as_str())]),
            );
            Ok(redirect("/partner/invitations"))
        }
    }
}
