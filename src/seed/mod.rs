//! Demo data (SPEC §5 "Demo data") loaded into an empty database, so a newcomer can sign in
//! as every kind of user at once. Every account's password is `DEMO_PASSWORD`.

mod billing;
mod coupons;
mod credit;
mod customers;
mod incentives;
mod invitations;
mod invoices;
mod orders;
mod resellers;

use anyhow::Context;
use diesel::prelude::*;

use crate::auth::password;
use crate::db::schema::{organizations, users};
use crate::domain::Caller;
use crate::domain::Money;
use crate::ledger::{self, AccountKind, TransferRequest};

pub const DEMO_PASSWORD: &str = "Demo-Pass-2026!";
pub const ENTITY_CN: &str = "Huawei Cloud Computing Technologies Co., Ltd.";
pub const ENTITY_HK: &str = "Huawei Cloud Services (Hong Kong) Ltd.";

pub const DEMO_ACCOUNTS: &[(&str, &str)] = &[
    ("ops@demo.test", "operator"),
    ("admin@northwind.test", "Northwind Distribution · admin"),
    ("lead@northwind.test", "Northwind Distribution · supervisor"),
    (
        "mgr1@northwind.test",
        "Northwind Distribution · customer manager",
    ),
    (
        "mgr2@northwind.test",
        "Northwind Distribution · customer manager",
    ),
    (
        "admin@bluebird.test",
        "Bluebird Cloud (reseller of Northwind) · admin",
    ),
    ("admin@contoso.test", "Contoso Solutions · admin"),
    ("it@acme.test", "customer Acme Corp (Northwind, resale)"),
    (
        "cfo@globex.test",
        "customer Globex Ltd (Northwind, advisory)",
    ),
    ("ops@initech.test", "customer Initech (Bluebird)"),
    ("hello@umbrella.test", "customer Umbrella (no partner)"),
];

pub fn sign_in_help() -> Vec<String> {
    let mut lines = vec![format!("demo sign-ins (password {DEMO_PASSWORD}):")];
    lines.extend(
        DEMO_ACCOUNTS
            .iter()
            .map(|(email, what)| format!("  {email:<22} {what}")),
    );
    lines
}

/// Ids of the demo records, for the area seeders that build on them.
pub struct Demo {
    pub hash: String,
    pub northwind: i64,
    pub bluebird: i64,
    pub contoso: i64,
    pub nw_admin: i64,
    pub nw_lead: i64,
    pub mgr1: i64,
    pub mgr2: i64,
    pub bb_admin: i64,
    pub contoso_admin: i64,
}

pub fn seed_actor() -> Caller {
    let mut caller = Caller::system("demo-data");
    caller.meta.request_id = "seed".into();
    caller
}

pub fn load_if_empty(conn: &mut PgConnection) -> anyhow::Result<bool> {
    let existing: i64 = organizations::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(false);
    }
    conn.transaction(|conn| -> anyhow::Result<()> {
        // Hash once and reuse: seeding stays fast (SPEC §5).
        let hash = password::hash(DEMO_PASSWORD);
        let northwind = org(
            conn,
            "Northwind Distribution",
            "distributor",
            None,
            ENTITY_CN,
        )?;
        let bluebird = org(
            conn,
            "Bluebird Cloud",
            "reseller",
            Some(northwind),
            ENTITY_CN,
        )?;
        let contoso = org(
            conn,
            "Contoso Solutions",
            "solution_provider",
            None,
            ENTITY_HK,
        )?;
        user(
            conn,
            &hash,
            "ops@demo.test",
            "Olivia Ops",
            "operator",
            None,
            None,
            None,
        )?;
        let nw_admin = user(
            conn,
            &hash,
            "admin@northwind.test",
            "Nora Admin",
            "partner",
            Some(northwind),
            Some("admin"),
            None,
        )?;
        let nw_lead = user(
            conn,
            &hash,
            "lead@northwind.test",
            "Liam Lead",
            "partner",
            Some(northwind),
            Some("supervisor"),
            None,
        )?;
        let mgr1 = user(
            conn,
            &hash,
            "mgr1@northwind.test",
            "Mia Manager",
            "partner",
            Some(northwind),
            Some("manager"),
            Some(nw_lead),
        )?;
        let mgr2 = user(
            conn,
            &hash,
            "mgr2@northwind.test",
            "Max Manager",
            "partner",
            Some(northwind),
            Some("manager"),
            Some(nw_lead),
        )?;
        let bb_admin = user(
            conn,
            &hash,
            "admin@bluebird.test",
            "Bella Bluebird",
            "partner",
            Some(bluebird),
            Some("admin"),
            None,
        )?;
        let contoso_admin = user(
            conn,
            &hash,
            "admin@contoso.test",
            "Carl Contoso",
            "partner",
            Some(contoso),
            Some("admin"),
            None,
        )?;
        let demo = Demo {
            hash,
            northwind,
            bluebird,
            contoso,
            nw_admin,
            nw_lead,
            mgr1,
            mgr2,
            bb_admin,
            contoso_admin,
        };

        let actor = seed_actor();
        for (org_id, amount) in [
            (northwind, "100000.00"),
            (bluebird, "20000.00"),
            (contoso, "50000.00"),
        ] {
            let external = ledger::accounts::platform(conn, AccountKind::External)?;
            let cash = ledger::accounts::for_org(conn, org_id, AccountKind::PartnerCash)?;
            let key = format!("demo-opening-{org_id}");
            let req = TransferRequest {
                from: external.id,
                to: cash.id,
                amount: Money::parse_positive(amount).map_err(|e| anyhow::anyhow!("{e:?}"))?,
                kind: "opening",
                idempotency_key: &key,
                memo: "Opening cash",
                reverses: None,
            };
            ledger::transfer(conn, &req, &actor)?;
        }
        // Each organisation's first admin is its contact person (the resellers list, R3).
        diesel::sql_query(
            "UPDATE organizations o SET contact_user_id = (SELECT u.id FROM users u \
             WHERE u.org_id = o.id AND u.role = 'admin' ORDER BY u.id LIMIT 1)",
        )
        .execute(conn)?;
        resellers::load(conn, northwind, nw_admin, bluebird)?;
        customers::load(conn, &demo)?;
        invitations::load(conn, &demo)?;
        resellers::load_requests(conn, &demo)?;
        // Before the coupons: the demo bills are paid from balances, not from demo coupons.
        billing::load(conn, &demo)?;
        coupons::load(conn, &demo)?;
        orders::load(conn, &demo)?;
        // After the bills, which make what can be invoiced.
        invoices::load(conn, &demo)?;
        credit::load(conn, &demo)?;
        incentives::load(conn, &demo)?;
        Ok(())
    })
    .context("loading demo data")?;
    Ok(true)
}

fn org(
    conn: &mut PgConnection,
    name: &str,
    kind: &str,
    parent: Option<i64>,
    entity: &str,
) -> QueryResult<i64> {
    diesel::insert_into(organizations::table)
        .values((
            organizations::name.eq(name),
            organizations::kind.eq(kind),
            organizations::parent_id.eq(parent),
            organizations::signing_entity.eq(entity),
        ))
        .returning(organizations::id)
        .get_result(conn)
}

#[allow(clippy::too_many_arguments)]
pub fn user(
    conn: &mut PgConnection,
    hash: &str,
    email: &str,
    name: &str,
    audience: &str,
    org_id: Option<i64>,
    role: Option<&str>,
    supervisor: Option<i64>,
) -> QueryResult<i64> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(email),
            users::password_hash.eq(hash),
            users::display_name.eq(name),
            users::audience.eq(audience),
            users::org_id.eq(org_id),
            users::role.eq(role),
            users::supervisor_id.eq(supervisor),
            users::language.eq("en"),
        ))
        .returning(users::id)
        .get_result(conn)
}
