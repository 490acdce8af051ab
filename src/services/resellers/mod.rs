//! A distributor's resellers (rules R1–R3): the list, one reseller's page and the funds that
//! move between them. Every page here is for the distributor's admins (SPEC §6 "Roles for
//! money pages"): supervisors, managers, solution providers and resellers are refused.

pub mod applications;
pub mod funds;
pub mod invitations;
pub mod joining;
pub mod list;
pub mod moves;

use diesel::prelude::*;

use crate::db::schema::organizations;
use crate::domain::{Caller, MemberOf, OrgKind};
use crate::services::{ServiceError, ServiceResult};

/// The member, when it is an admin of a distributor; 403 otherwise (SPEC §5 "Denied by
/// organisation type").
pub fn distributor_admin(caller: &Caller) -> ServiceResult<&MemberOf> {
    let member = caller.member()?;
    member.require_admin()?;
    if member.org_kind != OrgKind::Distributor {
        return Err(ServiceError::Forbidden);
    }
    Ok(member)
}

/// A reseller of the member's organisation, by id: its name. Another distributor's reseller,
/// or an organisation that is not a reseller, is not found (SPEC §5: a wrong id is 404).
pub fn own_reseller(conn: &mut PgConnection, member: &MemberOf, id: i64) -> ServiceResult<String> {
    organizations::table
        .filter(organizations::id.eq(id))
        .filter(organizations::parent_id.eq(member.org_id))
        .filter(organizations::kind.eq(OrgKind::Reseller.as_str()))
        .select(organizations::name)
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)
}

/// rule A5: the reseller contact's e-mail (`email`) or phone (`phone`) in full, counted against
/// the member's hourly limit and audited. Returns the reseller's name with the value.
pub fn reveal_contact(
    conn: &mut PgConnection,
    caller: &Caller,
    reseller_id: i64,
    email: bool,
    limit_per_hour: i64,
) -> ServiceResult<(String, String)> {
    use crate::db::schema::users;
    let member = distributor_admin(caller)?;
    let name = own_reseller(conn, member, reseller_id)?;
    let subject = crate::services::reveal::Subject {
        action: "reseller.reveal",
        subject_type: "organization",
        subject_id: reseller_id,
        field: if email { "email" } else { "phone" }.into(),
    };
    let value =
        crate::services::reveal::reveal(conn, caller, limit_per_hour, subject, |conn, _| {
            let contact: Option<(String, String)> = organizations::table
                .inner_join(
                    users::table.on(organizations::contact_user_id.eq(users::id.nullable())),
                )
                .filter(organizations::id.eq(reseller_id))
                .select((users::email, users::phone))
                .first(conn)
                .optional()?;
            let (e, p) = contact.ok_or(ServiceError::NotFound)?;
            Ok(if email { e } else { p })
        })?;
    Ok((name, value))
}
