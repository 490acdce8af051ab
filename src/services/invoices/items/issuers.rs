//! Who invoices a customer (rule B7): the issuers it has free items with, and its own today
//! (its partner when resale, the platform otherwise).

use diesel::prelude::*;

use super::Issuer;
use crate::db::schema::{invoice_items, organizations};

/// The issuers the customer has free items with, `(issuer, name)`; the platform's name is
/// empty (pages word it).
pub fn issuers(conn: &mut PgConnection, customer: i64) -> QueryResult<Vec<(Issuer, String)>> {
    let ids: Vec<Option<i64>> = invoice_items::table
        .filter(invoice_items::customer_id.eq(customer))
        .filter(invoice_items::invoice_id.is_null())
        .select(invoice_items::issuer_org_id)
        .distinct()
        .load(conn)?;
    let orgs: Vec<i64> = ids.iter().flatten().copied().collect();
    let names: Vec<(i64, String)> = organizations::table
        .filter(organizations::id.eq_any(&orgs))
        .select((organizations::id, organizations::name))
        .load(conn)?;
    let mut out: Vec<(Issuer, String)> = ids
        .into_iter()
        .map(|id| {
            let name = id
                .and_then(|i| names.iter().find(|(n, _)| *n == i))
                .map(|(_, n)| n.clone())
                .unwrap_or_default();
            (id, name)
        })
        .collect();
    out.sort_by_key(|(id, _)| id.unwrap_or(0));
    Ok(out)
}

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
