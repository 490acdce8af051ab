//! Demo invitations for Northwind in every state, and its offline-expansion code.

use chrono::{Duration, Utc};
use diesel::prelude::*;

use super::Demo;
use crate::auth::tokens::{PlainToken, random_code};
use crate::db::schema::{customers, expansion_links, invitations};

pub fn load(conn: &mut PgConnection, demo: &Demo) -> QueryResult<()> {
    let now = Utc::now();
    let acme: Option<i64> = customers::table
        .filter(customers::email.eq("it@acme.test"))
        .select(customers::id)
        .first(conn)
        .optional()?;
    // (inviter, e-mail, company, type, state, sent days ago, expires in days)
    let rows = [
        (
            demo.nw_admin,
            "buyer@harbor-freight.test",
            "Harbor Freight",
            "resale",
            "pending",
            1,
            6,
        ),
        (
            demo.nw_admin,
            "cto@lumen-analytics.test",
            "Lumen Analytics",
            "advisory",
            "pending",
            2,
            5,
        ),
        (
            demo.mgr1,
            "it@orbit-logistics.test",
            "Orbit Logistics",
            "resale",
            "pending",
            5,
            2,
        ),
        (
            demo.mgr2,
            "finance@quill-press.test",
            "Quill Press",
            "advisory",
            "pending",
            0,
            7,
        ),
        (
            demo.mgr1,
            "it@acme.test",
            "Acme Corp",
            "resale",
            "accepted",
            40,
            -33,
        ),
        (
            demo.nw_lead,
            "ops@stale-prospect.test",
            "Stale Prospect",
            "resale",
            "pending",
            10,
            -3,
        ),
        (
            demo.mgr2,
            "hello@withdrawn.test",
            "Withdrawn Ltd",
            "advisory",
            "revoked",
            4,
            3,
        ),
    ];
    for (inviter, email, company, kind, state, sent_ago, expires_in) in rows {
        let sent = now - Duration::days(sent_ago);
        let accepted = state == "accepted";
        diesel::insert_into(invitations::table)
            .values((
                invitations::partner_id.eq(demo.northwind),
                invitations::inviter_id.eq(inviter),
                invitations::email.eq(email),
                invitations::company.eq(company),
                invitations::association_type.eq(kind),
                invitations::language.eq("en"),
                invitations::token_hash.eq(PlainToken::generate().hash()),
                invitations::state.eq(state),
                invitations::expires_at.eq(now + Duration::days(expires_in)),
                invitations::created_at.eq(sent),
                invitations::sent_at.eq(sent),
                invitations::accepted_at.eq(accepted.then(|| sent + Duration::days(1))),
                invitations::accepted_customer_id.eq(if accepted { acme } else { None }),
                invitations::revoked_at.eq((state == "revoked").then(|| sent + Duration::days(1))),
            ))
            .execute(conn)?;
    }
    diesel::insert_into(expansion_links::table)
        .values((
            expansion_links::partner_id.eq(demo.northwind),
            expansion_links::code.eq(random_code(16)),
            expansion_links::created_by.eq(Some(demo.nw_admin)),
        ))
        .execute(conn)?;
    Ok(())
}
