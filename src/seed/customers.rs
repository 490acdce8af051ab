//! Demo customers: the four named ones and ~60 more spread over mgr1, mgr2 and nobody.

use chrono::{Duration, Utc};
use diesel::prelude::*;

use super::{Demo, ENTITY_CN, ENTITY_HK};
use crate::db::schema::{associations, customer_contacts, customers, manager_assignments, users};
use crate::ledger::{self, AccountKind};

struct NewCustomer<'a> {
    company: &'a str,
    contact: &'a str,
    email: &'a str,
    phone: &'a str,
    partner: Option<(i64, &'a str)>,
    manager: Option<i64>,
    verification: &'a str,
    days_ago: i64,
    /// Registered this many days ago when long before the association (3 days before it
    /// otherwise): the named customers used the cloud for over a year before their partner
    /// came, so their bills show months without a partner.
    registered_days_ago: Option<i64>,
}

fn insert(conn: &mut PgConnection, c: &NewCustomer<'_>) -> QueryResult<i64> {
    let since = Utc::now() - Duration::days(c.days_ago);
    let id: i64 = diesel::insert_into(customers::table)
        .values((
            customers::company.eq(c.company),
            customers::contact_name.eq(c.contact),
            customers::email.eq(c.email),
            customers::phone.eq(c.phone),
            customers::verification.eq(c.verification),
            customers::signing_entity.eq(if c.days_ago % 5 == 0 {
                ENTITY_HK
            } else {
                ENTITY_CN
            }),
            customers::partner_id.eq(c.partner.map(|p| p.0)),
            customers::association_type.eq(c.partner.map(|p| p.1)),
            customers::associated_at.eq(c.partner.map(|_| since)),
            customers::manager_id.eq(c.manager),
            customers::registered_at.eq(c
                .registered_days_ago
                .map_or(since - Duration::days(3), |d| {
                    Utc::now() - Duration::days(d)
                })),
        ))
        .returning(customers::id)
        .get_result(conn)?;
    if let Some((partner, kind)) = c.partner {
        diesel::insert_into(associations::table)
            .values((
                associations::customer_id.eq(id),
                associations::partner_id.eq(partner),
                associations::association_type.eq(kind),
                associations::started_at.eq(since),
            ))
            .execute(conn)?;
        if let Some(m) = c.manager {
            diesel::insert_into(manager_assignments::table)
                .values((
                    manager_assignments::customer_id.eq(id),
                    manager_assignments::partner_id.eq(partner),
                    manager_assignments::manager_id.eq(m),
                    manager_assignments::from_at.eq(since),
                ))
                .execute(conn)?;
        }
    }
    ledger::accounts::for_customer(conn, id, AccountKind::CustomerBalance)?;
    ledger::accounts::for_customer(conn, id, AccountKind::CustomerCredit)?;
    Ok(id)
}

fn customer_user(
    conn: &mut PgConnection,
    demo: &Demo,
    customer_id: i64,
    email: &str,
    name: &str,
) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(email),
            users::password_hash.eq(&demo.hash),
            users::display_name.eq(name),
            users::audience.eq("customer"),
            users::customer_id.eq(customer_id),
            users::language.eq("en"),
        ))
        .execute(conn)?;
    Ok(())
}

const COMPANIES: &[&str] = &[
    "Aurora Robotics",
    "Beacon Health",
    "Cedar Logistics",
    "Delta Foods",
    "Evergreen Media",
    "Falcon Mining",
    "Granite Bank",
    "Harbor Shipping",
    "Iris Optics",
    "Jade Textiles",
    "Kestrel Air",
    "Lotus Retail",
    "Maple Education",
    "Nimbus Games",
    "Orchid Pharma",
    "Pioneer Energy",
    "Quartz Semiconductors",
    "Redwood Insurance",
    "Sapphire Travel",
    "Tundra Outdoor",
    "Unity Telecom",
    "Vertex Analytics",
    "Willow Farms",
    "Xenon Labs",
    "Yellowstone Water",
    "Zephyr Motors",
    "Amber Legal",
    "Birch Construction",
    "Cobalt Security",
    "Dune Solar",
];

pub fn load(conn: &mut PgConnection, demo: &Demo) -> QueryResult<()> {
    let nw = demo.northwind;
    let acme = insert(
        conn,
        &NewCustomer {
            company: "Acme Corp",
            contact: "Alice Chen",
            email: "it@acme.test",
            phone: "13812341234",
            partner: Some((nw, "resale")),
            manager: Some(demo.mgr1),
            verification: "verified",
            days_ago: 120,
            registered_days_ago: Some(400),
        },
    )?;
    customer_user(conn, demo, acme, "it@acme.test", "Alice Chen")?;
    let globex = insert(
        conn,
        &NewCustomer {
            company: "Globex Ltd",
            contact: "Gary Wang",
            email: "cfo@globex.test",
            phone: "13998765432",
            partner: Some((nw, "advisory")),
            manager: Some(demo.mgr2),
            verification: "verified",
            days_ago: 90,
            registered_days_ago: Some(400),
        },
    )?;
    customer_user(conn, demo, globex, "cfo@globex.test", "Gary Wang")?;
    contacts(conn, acme, globex)?;
    let initech = insert(
        conn,
        &NewCustomer {
            company: "Initech",
            contact: "Ivy Liu",
            email: "ops@initech.test",
            phone: "13700001111",
            partner: Some((demo.bluebird, "resale")),
            manager: None,
            verification: "pending",
            days_ago: 60,
            registered_days_ago: Some(400),
        },
    )?;
    customer_user(conn, demo, initech, "ops@initech.test", "Ivy Liu")?;
    let umbrella = insert(
        conn,
        &NewCustomer {
            company: "Umbrella",
            contact: "Uma Zhao",
            email: "hello@umbrella.test",
            phone: "13655556666",
            partner: None,
            manager: None,
            verification: "unverified",
            days_ago: 2,
            registered_days_ago: None,
        },
    )?;
    customer_user(conn, demo, umbrella, "hello@umbrella.test", "Uma Zhao")?;

    // 60 more for Northwind (plus a few for Contoso), a third each to mgr1, mgr2 and nobody.
    for i in 0..66usize {
        let base = COMPANIES[i % COMPANIES.len()];
        let company = if i < COMPANIES.len() {
            base.to_string()
        } else {
            format!("{base} {}", ["Group", "Holdings"][i / COMPANIES.len() - 1])
        };
        let slug: String = company
            .to_lowercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let email = format!("contact@{slug}.test");
        let phone = format!("139{:08}", 10_000_000 + i * 7919);
        let contact = format!(
            "{} {}",
            ["Li", "Wang", "Zhang", "Liu", "Chen", "Yang"][i % 6],
            ["Wei", "Fang", "Na", "Jun", "Lei"][i % 5]
        );
        let (partner, manager) = if i >= 60 {
            (demo.contoso, None)
        } else {
            (nw, [Some(demo.mgr1), Some(demo.mgr2), None][i % 3])
        };
        let kind = if i % 4 == 0 { "advisory" } else { "resale" };
        let verification = ["verified", "verified", "pending", "unverified"][i % 4];
        insert(
            conn,
            &NewCustomer {
                company: &company,
                contact: &contact,
                email: &email,
                phone: &phone,
                partner: Some((partner, kind)),
                manager,
                verification,
                days_ago: 10 + i as i64 * 3,
                registered_days_ago: None,
            },
        )?;
    }
    Ok(())
}

/// A few contacts (rule C10); the demo bills come from `seed::billing`.
fn contacts(conn: &mut PgConnection, acme: i64, globex: i64) -> QueryResult<()> {
    for (customer, name, title, email, phone) in [
        (
            acme,
            "Alice Chen",
            "IT director",
            "alice.chen@acme.test",
            "13812341234",
        ),
        (
            acme,
            "Bob Zhou",
            "Finance",
            "bob.zhou@acme.test",
            "13955550001",
        ),
        (globex, "Gary Wang", "CFO", "cfo@globex.test", "13998765432"),
    ] {
        diesel::insert_into(customer_contacts::table)
            .values((
                customer_contacts::customer_id.eq(customer),
                customer_contacts::name.eq(name),
                customer_contacts::title.eq(title),
                customer_contacts::email.eq(email),
                customer_contacts::phone.eq(phone),
            ))
            .execute(conn)?;
    }
    Ok(())
}
