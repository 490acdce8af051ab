//! The signed-in person's own account: signing out (audited) and the remembered language
//! (rule X4).

use diesel::prelude::*;

use crate::audit::{self, Entry};
use crate::db::schema::users;
use crate::domain::Caller;
use crate::i18n::Lang;
use crate::services::ServiceResult;

/// Records the sign-out; ending the session is the web edge's part.
pub fn sign_out(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<()> {
    if let Some(user_id) = caller.user_id() {
        audit::record(conn, caller, Entry::new("sign_out", "user", user_id))?;
    }
    Ok(())
}

/// Remembers the language on the account, so mail to this person uses it too.
pub fn set_language(conn: &mut PgConnection, caller: &Caller, lang: Lang) -> ServiceResult<()> {
    if let Some(user_id) = caller.user_id() {
        diesel::update(users::table.find(user_id.get()))
            .set(users::language.eq(lang.code()))
            .execute(conn)?;
    }
    Ok(())
}
