//! Invoicing (rules B3–B7, K7): invoice titles, what a customer can have invoiced, invoice
//! requests matched to a specified amount or picked item by item, and their processing by the
//! partner (resale) or the platform (advisory, or no partner).
//!
//! - `titles`: enterprise or organisation titles, one default per owner (B3).
//! - `items`: the invoiceable items, kept by the triggers of migration 000400 as bills are
//!   issued and orders paid or refunded; when a month becomes invoiceable (B4); who issues.
//! - `matching`: the B6 walk (refunds first, then bills oldest first, then orders), pure.
//! - `plan`: one invoice per signing entity and tax rate, e-invoices split at 1,000,000.00 (B5).
//! - `request`: the form's facts, the preview and the submission (one transaction).
//! - `process`: issue, mail, reject and return (退票) by the issuer (B7), each mailed.
//! - `lists`, `detail`, `customer`: who sees which invoices, and how.
//! - `files`: e-invoice files, uploaded or generated, kept in the database.
//!
//! **Who issues.** Each item carries its issuer: the partner of a resale bill or order, the
//! platform (NULL) otherwise — the bill's and the order's own partner and association type,
//! so a customer that changes partner later still asks the right party for its old months. A
//! request goes to one issuer; by default the customer's own (its partner when resale).

pub mod customer;
pub mod detail;
pub mod files;
pub mod items;
pub mod lists;
mod mail;
pub mod matching;
pub mod plan;
pub mod process;
pub mod request;
pub mod state;
pub mod titles;

pub use items::{Group, Issuer, Item, ItemKind};
pub use state::{InvoiceState, Medium};

/// Serialises one customer's invoice requests (and their processing) for the rest of the
/// transaction, so racing submissions never take one item twice.
pub(crate) fn lock_customer(
    conn: &mut diesel::PgConnection,
    customer: i64,
) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl;
    const NAMESPACE: i32 = 5_023;
    diesel::sql_query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind::<diesel::sql_types::Integer, _>(NAMESPACE)
        .bind::<diesel::sql_types::Integer, _>(customer as i32)
        .execute(conn)?;
    Ok(())
}
