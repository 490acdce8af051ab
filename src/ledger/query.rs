//! What the ledger pages read: accounts with their owners' names, and an account's entries
//! newest first. Keyset pages, one query each (no N+1).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;

use super::accounts::AccountKind;

#[derive(QueryableByName, Debug, Clone)]
pub struct AccountRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    /// The organisation's or customer's name; empty for the platform's own accounts.
    #[diesel(sql_type = Text)]
    pub owner: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub owner_org_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub owner_customer_id: Option<i64>,
    #[diesel(sql_type = Text)]
    pub label: String,
    #[diesel(sql_type = Numeric)]
    pub balance: Decimal,
    #[diesel(sql_type = Nullable<Numeric>)]
    pub credit_limit: Option<Decimal>,
    #[diesel(sql_type = Bool)]
    pub frozen: bool,
}

const ACCOUNT_COLUMNS: &str = "
SELECT a.id, a.kind, COALESCE(o.name, c.company, '') AS owner, a.owner_org_id,
       a.owner_customer_id, a.label, a.balance, a.credit_limit, a.frozen
FROM ledger_accounts a
LEFT JOIN organizations o ON o.id = a.owner_org_id
LEFT JOIN customers c ON c.id = a.owner_customer_id";

pub use crate::db::like_pattern;

/// Accounts after id `after` (ascending), optionally of one kind and whose owner's name
/// contains `q`.
pub fn accounts_page(
    conn: &mut PgConnection,
    q: &str,
    kind: Option<AccountKind>,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<AccountRow>> {
    let sql = format!(
        "{ACCOUNT_COLUMNS}
         WHERE a.id > $1 AND ($2 = '' OR a.kind = $2)
           AND ($3 = '' OR o.name ILIKE $4 OR c.company ILIKE $4)
         ORDER BY a.id LIMIT $5"
    );
    diesel::sql_query(sql)
        .bind::<BigInt, _>(after.unwrap_or(0))
        .bind::<Text, _>(kind.map_or("", AccountKind::as_str))
        .bind::<Text, _>(q)
        .bind::<Text, _>(like_pattern(q))
        .bind::<BigInt, _>(limit)
        .load(conn)
}

pub fn account(conn: &mut PgConnection, id: i64) -> QueryResult<AccountRow> {
    diesel::sql_query(format!("{ACCOUNT_COLUMNS} WHERE a.id = $1"))
        .bind::<BigInt, _>(id)
        .get_result(conn)
}

#[derive(QueryableByName, Debug, Clone)]
pub struct EntryRow {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Timestamptz)]
    pub at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    pub transfer_id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub memo: String,
    /// Negative when money left the account.
    #[diesel(sql_type = Numeric)]
    pub amount: Decimal,
    #[diesel(sql_type = Numeric)]
    pub balance_after: Decimal,
    /// The other account of the transfer.
    #[diesel(sql_type = BigInt)]
    pub counterparty: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub reverses_id: Option<i64>,
}

/// One account's entries with ids below `before`, newest first.
pub fn entries_page(
    conn: &mut PgConnection,
    account_id: i64,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<EntryRow>> {
    diesel::sql_query(
        "SELECT e.id, e.created_at AS at, e.transfer_id, t.kind, t.memo, e.amount,
                e.balance_after, t.reverses_id,
                CASE WHEN e.amount < 0 THEN t.to_account_id ELSE t.from_account_id END
                    AS counterparty
         FROM ledger_entries e JOIN ledger_transfers t ON t.id = e.transfer_id
         WHERE e.account_id = $1 AND e.id < $2
         ORDER BY e.id DESC LIMIT $3",
    )
    .bind::<BigInt, _>(account_id)
    .bind::<BigInt, _>(before.unwrap_or(i64::MAX))
    .bind::<BigInt, _>(limit)
    .load(conn)
}

/// The CSV export of one account: every entry, newest first, read in keyset chunks so a
/// long history never needs one huge result set.
pub fn export_csv(
    conn: &mut PgConnection,
    account_id: i64,
    header: &[String],
) -> anyhow::Result<Vec<u8>> {
    const CHUNK: i64 = 5_000;
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header)?;
    let mut before = None;
    loop {
        let rows = entries_page(conn, account_id, before, CHUNK)?;
        for r in &rows {
            out.write_record([
                r.id.to_string(),
                r.at.to_rfc3339(),
                r.transfer_id.to_string(),
                spreadsheet_safe(&r.kind),
                r.amount.to_string(),
                r.balance_after.to_string(),
                r.counterparty.to_string(),
                r.reverses_id.map(|id| id.to_string()).unwrap_or_default(),
                spreadsheet_safe(&r.memo),
            ])?;
        }
        match rows.last() {
            Some(last) if rows.len() as i64 == CHUNK => before = Some(last.id),
            _ => break,
        }
    }
    Ok(out.into_inner()?)
}

/// Text cells that a spreadsheet would run as a formula get a leading apostrophe.
fn spreadsheet_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_matches_literally() {
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn formula_like_cells_are_defused() {
        assert_eq!(spreadsheet_safe("=1+1"), "'=1+1");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("allocation"), "allocation");
        assert_eq!(spreadsheet_safe(""), "");
    }
}
