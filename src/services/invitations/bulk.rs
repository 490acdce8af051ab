//! Bulk invitations from a CSV file (rule C3): columns `email, company, type`, at most 1,000
//! rows. Every row gets a result before anything is sent; sending writes invitations and mail
//! to the outbox in one transaction and leaves delivery to the mail worker.

use std::collections::HashSet;

use diesel::prelude::*;
use serde_json::json;

use super::{Draft, NewInvitation, lower, mail_with_new_token, org_name};
use crate::audit::{self, Entry};
use crate::db::schema::{customers, invitations, outbox};
use crate::domain::Email;
use crate::domain::{Caller, MemberOf};
use crate::i18n::Lang;
use crate::services::customers::association::AssociationType;
use crate::services::{ServiceError, ServiceResult};

pub const MAX_ROWS: usize = 1000;

#[derive(Clone, Debug)]
pub struct Row {
    pub line: usize,
    pub email: String,
    pub company: String,
    pub association_type: String,
    pub result: &'static str,
}

#[derive(Debug, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    TooManyRows,
    Unreadable,
}

impl FileProblem {
    pub fn key(&self) -> &'static str {
        match self {
            FileProblem::Empty => "bulk.error.empty",
            FileProblem::TooManyRows => "bulk.error.too_many",
            FileProblem::Unreadable => "bulk.error.unreadable",
        }
    }
}

fn type_of(text: &str) -> Option<AssociationType> {
    match text.trim().to_lowercase().as_str() {
        "" | "resale" | "代售" => Some(AssociationType::Resale),
        "advisory" | "顾问销售" => Some(AssociationType::Advisory),
        _ => None,
    }
}

/// Reads the file: an optional header row, then `email, company, type` per line.
pub fn parse(bytes: &[u8]) -> Result<Vec<Row>, FileProblem> {
    let text = std::str::from_utf8(bytes).map_err(|_| FileProblem::Unreadable)?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|_| FileProblem::Unreadable)?;
        let cell = |n: usize| record.get(n).unwrap_or("").to_string();
        if i == 0 && cell(0).eq_ignore_ascii_case("email") {
            continue;
        }
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FileProblem::TooManyRows);
        }
        rows.push(Row {
            line: i + 1,
            email: cell(0).chars().take(300).collect(),
            company: cell(1).chars().take(200).collect(),
            association_type: cell(2).chars().take(30).collect(),
            result: "valid",
        });
    }
    if rows.is_empty() {
        return Err(FileProblem::Empty);
    }
    Ok(rows)
}

/// Gives every row its result in a fixed number of queries, whatever the row count.
pub fn check(conn: &mut PgConnection, member: &MemberOf, rows: &mut [Row]) -> QueryResult<()> {
    let mut seen = HashSet::new();
    let mut keys = Vec::new();
    for row in rows.iter_mut() {
        match Email::parse(&row.email) {
            Err(_) => row.result = "bad_address",
            Ok(e) => {
                row.email = e.as_str().to_string();
                if type_of(&row.association_type).is_none() {
                    row.result = "bad_type";
                } else if !seen.insert(e.key()) {
                    row.result = "duplicate";
                } else {
                    keys.push(e.key());
                }
            }
        }
    }
    let invited: HashSet<String> =
        super::pending_invitations(member.org_id, crate::domain::InvitationKind::Customer)
            .filter(lower(invitations::email).eq_any(&keys))
            .select(lower(invitations::email))
            .load::<String>(conn)?
            .into_iter()
            .collect();
    let ours: HashSet<String> = customers::table
        .filter(customers::partner_id.eq(member.org_id))
        .filter(lower(customers::email).eq_any(&keys))
        .select(lower(customers::email))
        .load::<String>(conn)?
        .into_iter()
        .collect();
    for row in rows.iter_mut().filter(|r| r.result == "valid") {
        let key = crate::domain::email::normalize(&row.email);
        if ours.contains(&key) {
            row.result = "already_customer";
        } else if invited.contains(&key) {
            row.result = "already_invited";
        }
    }
    Ok(())
}

/// The checked rows as CSV again, carried by the preview page to the send step.
pub fn to_csv(rows: &[Row]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        let _ = w.write_record([&r.email, &r.company, &r.association_type]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Checks the rows again (things may have changed since the preview) and sends the valid
/// ones; each sent row's result becomes `sent`. Call inside a transaction.
pub fn send(
    conn: &mut PgConnection,
    caller: &Caller,
    rows: &mut [Row],
    lang: Lang,
    ttl: std::time::Duration,
    public_url: &str,
) -> ServiceResult<usize> {
    let member = caller.member()?;
    super::lock_sends(conn, member.org_id)?;
    check(conn, member, rows)?;
    let partner = org_name(conn, member.org_id)?;
    let expires_at = super::expires_from_now(ttl);
    let mut new_invitations = Vec::new();
    let mut mails = Vec::new();
    for row in rows.iter_mut().filter(|r| r.result == "valid") {
        let draft = Draft {
            kind: crate::domain::InvitationKind::Customer,
            email: Email::parse(&row.email)
                .map_err(|_| ServiceError::internal("checked address"))?,
            company: row.company.clone(),
            association_type: type_of(&row.association_type).unwrap_or(AssociationType::Resale),
            lang,
        };
        let (token, mail) =
            mail_with_new_token(&draft, &partner, &caller.name, expires_at, public_url)?;
        new_invitations.push(NewInvitation::new(member, &draft, &token, expires_at));
        mails.push((
            outbox::kind.eq("invitation"),
            outbox::to_addr.eq(draft.email.as_str().to_string()),
            outbox::subject.eq(mail.subject),
            outbox::text_body.eq(mail.text),
            outbox::html_body.eq(mail.html),
        ));
        row.result = "sent";
    }
    if new_invitations.is_empty() {
        return Ok(0);
    }
    let mut ids = Vec::with_capacity(new_invitations.len());
    for chunk in new_invitations.chunks(500) {
        ids.extend(
            diesel::insert_into(invitations::table)
                .values(chunk)
                .returning(invitations::id)
                .get_results::<i64>(conn)?,
        );
    }
    for chunk in mails.chunks(500) {
        diesel::insert_into(outbox::table)
            .values(chunk)
            .execute(conn)?;
    }
    audit::record(
        conn,
        caller,
        Entry::new("invitation.bulk_send", "invitation", ids[0])
            .after(json!({ "count": ids.len(), "ids": ids })),
    )?;
    Ok(ids.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_and_blank_lines_are_skipped_and_cells_trimmed() {
        let rows =
            parse(b"\xef\xbb\xbfEmail,Company,Type\n a@x.test , A ,advisory\n\n,,\nb@x.test\n")
                .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].email, "a@x.test");
        assert_eq!(rows[0].company, "A");
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].association_type, "");
        assert_eq!(type_of("顾问销售"), Some(AssociationType::Advisory));
        assert_eq!(type_of(""), Some(AssociationType::Resale));
        assert_eq!(type_of("wholesale"), None);
    }

    #[test]
    fn empty_oversized_and_non_utf8_files_are_refused() {
        assert_eq!(
            parse(b"email,company,type\n").unwrap_err(),
            FileProblem::Empty
        );
        let many: String = (0..=MAX_ROWS).map(|i| format!("u{i}@x.test,,\n")).collect();
        assert_eq!(
            parse(many.as_bytes()).unwrap_err(),
            FileProblem::TooManyRows
        );
        let exact: String = (0..MAX_ROWS).map(|i| format!("u{i}@x.test,,\n")).collect();
        assert_eq!(parse(exact.as_bytes()).unwrap().len(), MAX_ROWS);
        assert_eq!(
            parse(&[0xff, 0xfe, 0x00]).unwrap_err(),
            FileProblem::Unreadable
        );
    }

    #[test]
    fn rows_survive_the_round_trip_through_the_preview() {
        let rows = parse("a@x.test,\"Comma, Inc\",resale\n".as_bytes()).unwrap();
        let again = parse(to_csv(&rows).as_bytes()).unwrap();
        assert_eq!(again[0].company, "Comma, Inc");
    }
}
