//! Demo funds between Northwind and its reseller Bluebird (rule R3): an allocation and a
//! reclaim of the same amount, made by Northwind's admin through the service, so both sides
//! show a history while every opening balance stays as SPEC §5 lists it.

use diesel::prelude::*;

use crate::domain::{MemberOf, Money, OrgId, OrgKind, Party, Role, UserId};
use crate::services::resellers::funds::{Direction, move_funds};

pub fn load(
    conn: &mut PgConnection,
    northwind: i64,
    admin: i64,
    bluebird: i64,
) -> anyhow::Result<()> {
    let mut caller = super::seed_actor();
    caller.party = Party::Member(MemberOf {
        user_id: UserId(admin),
        org_id: OrgId(northwind),
        org_kind: OrgKind::Distributor,
        role: Role::Admin,
    });
    caller.email = "admin@northwind.test".into();
    caller.name = "Nora Admin".into();
    for (direction, amount, remark, key) in [
        (
            Direction::Allocate,
            "2000.00",
            "December campaign budget",
            "demo-allocate-1",
        ),
        (
            Direction::Reclaim,
            "2000.00",
            "Campaign moved to January",
            "demo-reclaim-1",
        ),
    ] {
        let amount = Money::parse_positive(amount).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        move_funds(conn, &caller, bluebird, direction, amount, remark, key)
            .map_err(|e| anyhow::anyhow!("demo funds: {e}"))?;
    }
    Ok(())
}

/// One pending reseller invitation from Northwind, one cooperation application waiting for the
/// platform (Globex) and one waiting for Northwind (Initech), each with its history (R1, R2).
pub fn load_requests(conn: &mut PgConnection, demo: &super::Demo) -> anyhow::Result<()> {
    use chrono::{Duration, Utc};

    use crate::auth::tokens::PlainToken;
    use crate::db::schema::{
        customers, invitations, reseller_application_steps as steps, reseller_applications as apps,
        users,
    };

    let now = Utc::now();
    diesel::insert_into(invitations::table)
        .values((
            invitations::kind.eq("reseller"),
            invitations::partner_id.eq(demo.northwind),
            invitations::inviter_id.eq(demo.nw_admin),
            invitations::email.eq("owner@skyline-cloud.test"),
            invitations::company.eq("Skyline Cloud"),
            invitations::association_type.eq("resale"),
            invitations::language.eq("en"),
            invitations::token_hash.eq(PlainToken::generate().hash()),
            invitations::expires_at.eq(now + Duration::days(5)),
            invitations::created_at.eq(now - Duration::days(2)),
            invitations::sent_at.eq(now - Duration::days(2)),
        ))
        .execute(conn)?;
    let ops: i64 = users::table
        .filter(users::email.eq("ops@demo.test"))
        .select(users::id)
        .first(conn)?;
    for (email, message, passed_on) in [
        (
            "cfo@globex.test",
            "We would like to resell cloud services in our region.",
            false,
        ),
        (
            "ops@initech.test",
            "Our team already supports twenty companies.",
            true,
        ),
    ] {
        let (user, customer, company): (i64, i64, String) = users::table
            .inner_join(customers::table.on(users::customer_id.eq(customers::id.nullable())))
            .filter(users::email.eq(email))
            .select((users::id, customers::id, customers::company))
            .first(conn)?;
        let id: i64 = diesel::insert_into(apps::table)
            .values((
                apps::customer_id.eq(customer),
                apps::applicant_id.eq(user),
                apps::distributor_id.eq(demo.northwind),
                apps::company.eq(&company),
                apps::message.eq(message),
                apps::state.eq(if passed_on {
                    "awaiting_distributor"
                } else {
                    "awaiting_operator"
                }),
                apps::created_at.eq(now - Duration::days(3)),
            ))
            .returning(apps::id)
            .get_result(conn)?;
        let mut history = vec![("applied", user, message, now - Duration::days(3))];
        if passed_on {
            history.push(("operator_approved", ops, "", now - Duration::days(1)));
        }
        for (step, actor, reason, at) in history {
            diesel::insert_into(steps::table)
                .values((
                    steps::application_id.eq(id),
                    steps::step.eq(step),
                    steps::actor_user_id.eq(Some(actor)),
                    steps::reason.eq(reason),
                    steps::at.eq(at),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}
