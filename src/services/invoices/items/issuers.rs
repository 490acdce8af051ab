//! Who invoices a customer (rule B7): the issuers it has free items with, and its own today
//! (its partner when resale, the platform otherwise).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};

use super::Issuer;
use crate::db::schema::organizations;

/// The issuers the customer has free items with, `(issuer, name)`, and its own issuer today
/// (`own_issuer`'s rule), in one statement; the platform's name is empty (pages word it). The
/// statement skips along `invoice_items_open_issuer_idx` from one partner issuer to the next (a
/// probe per issuer, never a read of every item), asks once whether any free item is the
/// platform's, and reads the customer's association last. The customer is a value learnt at
/// run time (`(SELECT $1::bigint)`): as a plain parameter, a customer with many items (Acme's
/// thousand in the bench) made the custom plan look cheaper than the generic one, and
/// PostgreSQL planned the statement again on every view (`pg_prepared_statements`: 0 generic
/// plans of 8).
pub fn issuers_and_own(
    conn: &mut PgConnection,
    customer: i64,
) -> QueryResult<(Vec<(Issuer, String)>, Issuer)> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Nullable<BigInt>)]
        issuer: Option<i64>,
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Bool)]
        own: bool,
    }
    let rows: Vec<Row> = crate::db::prepared::sql_query(ISSUERS_SQL)
        .bind::<BigInt, _>(customer)
        .load(conn)?;
    let own = rows.iter().find(|r| r.own).and_then(|r| r.issuer);
    let mut out: Vec<(Issuer, String)> = rows
        .into_iter()
        .filter(|r| !r.own)
        .map(|r| (r.issuer, r.name))
        .collect();
    out.sort_by_key(|(id, _)| id.unwrap_or(0));
    Ok((out, own))
}

const ISSUERS_SQL: &str = "\
    WITH RECURSIVE partner(org) AS ( \
        (SELECT issuer_org_id FROM invoice_items \
         WHERE customer_id = (SELECT $1::bigint) AND invoice_id IS NULL \
           AND issuer_org_id IS NOT NULL \
         ORDER BY issuer_org_id LIMIT 1) \
        UNION ALL \
        SELECT (SELECT i.issuer_org_id FROM invoice_items i \
                WHERE i.customer_id = (SELECT $1::bigint) AND i.invoice_id IS NULL \
                  AND i.issuer_org_id > p.org \
                ORDER BY i.issuer_org_id LIMIT 1) \
        FROM partner p WHERE p.org IS NOT NULL) \
    SELECT p.org AS issuer, (SELECT o.name FROM organizations o WHERE o.id = p.org) AS name, \
           false AS own \
    FROM partner p WHERE p.org IS NOT NULL \
    UNION ALL \
    SELECT NULL, '', false WHERE EXISTS (SELECT 1 FROM invoice_items \
        WHERE customer_id = (SELECT $1::bigint) AND invoice_id IS NULL AND issuer_org_id IS NULL) \
    UNION ALL \
    SELECT CASE WHEN c.association_type = 'resale' THEN c.partner_id END, '', true \
    FROM customers c WHERE c.id = (SELECT $1::bigint)";

/// A partner issuer's name.
pub fn issuer_name(conn: &mut PgConnection, org: i64) -> QueryResult<String> {
    organizations::table
        .find(org)
        .select(organizations::name)
        .first(conn)
}

/// The customer's own issuer today: its partner when the association is resale, otherwise
/// the platform (B7: resale customers ask their partner, advisory ones the platform).
pub fn own_issuer(conn: &mut PgConnection, customer: i64) -> QueryResult<Issuer> {
    use crate::db::schema::customers;
    let (partner, kind): (Option<i64>, Option<String>) = customers::table
        .find(customer)
        .select((customers::partner_id, customers::association_type))
        .first(conn)?;
    Ok(partner.filter(|_| kind.as_deref() == Some("resale")))
}
