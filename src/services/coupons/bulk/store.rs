//! The kept bulk file (`coupon_uploads`): the preview stores the parsed rows and checks them;
//! showing checks them again (read only); the issue re-checks everything under the grant's
//! lock and issues every row or none, once.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{Checked, RawRow, check};
use crate::audit::{self, Entry};
use crate::db::schema::coupon_uploads;
use crate::domain::{Caller, MemberOf};
use crate::services::coupons::grants;
use crate::services::coupons::issue::{Batch, Keyed, issue_key, signing_entity_of, write_many};
use crate::services::coupons::{actions, admin, today};
use crate::services::{ServiceError, ServiceResult};

/// A kept file, checked as of now.
pub struct Shown {
    pub id: i64,
    pub checked: Checked,
    /// The quota the preview said the file needs.
    pub previewed_total: Decimal,
    pub issued_at: Option<DateTime<Utc>>,
}

pub enum BulkOutcome {
    /// Every row issued: this many coupons.
    Issued(usize),
    /// The file was issued before; nothing more is.
    AlreadyIssued,
    /// Nothing issued: the rows as checked now (a rejected row, or a grant that does not
    /// cover the file, or one that no longer issues).
    Refused(Box<Shown>),
}

#[derive(Queryable)]
struct Upload {
    id: i64,
    grant_id: i64,
    rows: serde_json::Value,
    total: Decimal,
    upload_key: String,
    issued_at: Option<DateTime<Utc>>,
}

fn load(conn: &mut PgConnection, member: &MemberOf, id: i64, lock: bool) -> ServiceResult<Upload> {
    let query = coupon_uploads::table
        .filter(coupon_uploads::id.eq(id))
        .filter(coupon_uploads::partner_id.eq(member.org_id.get()))
        .select((
            coupon_uploads::id,
            coupon_uploads::grant_id,
            coupon_uploads::rows,
            coupon_uploads::total,
            coupon_uploads::upload_key,
            coupon_uploads::issued_at,
        ));
    let found = if lock {
        query.for_update().first(conn)
    } else {
        query.first(conn)
    };
    Ok(found?)
}

fn rows_of(upload: &Upload) -> ServiceResult<Vec<RawRow>> {
    serde_json::from_value(upload.rows.clone())
        .map_err(|e| ServiceError::internal(format!("coupon upload {}: {e}", upload.id)))
}

/// rule K2: the dry run. Keeps the file for the confirm step and returns its id with every
/// row's result; nothing is issued.
pub fn preview(
    conn: &mut PgConnection,
    caller: &Caller,
    grant_id: i64,
    rows: Vec<RawRow>,
) -> ServiceResult<Shown> {
    let member = admin(caller)?;
    let grant = grants::own(conn, member, grant_id, false)?;
    let json = serde_json::to_value(&rows)
        .map_err(|e| ServiceError::internal(format!("coupon upload rows: {e}")))?;
    let row_count = rows.len() as i32;
    let checked = check(conn, member, grant, rows)?;
    let id: i64 = diesel::insert_into(coupon_uploads::table)
        .values((
            coupon_uploads::partner_id.eq(member.org_id.get()),
            coupon_uploads::grant_id.eq(grant_id),
            coupon_uploads::rows.eq(json),
            coupon_uploads::row_count.eq(row_count),
            coupon_uploads::total.eq(checked.total),
            coupon_uploads::upload_key.eq(uuid::Uuid::new_v4().to_string()),
            coupon_uploads::created_by.eq(caller.user_id().map(i64::from)),
        ))
        .returning(coupon_uploads::id)
        .get_result(conn)?;
    Ok(Shown {
        id,
        previewed_total: checked.total,
        checked,
        issued_at: None,
    })
}

/// A kept file of the member's organisation, checked as of now (another's is not found).
pub fn show(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<Shown> {
    let member = admin(caller)?;
    let upload = load(conn, member, id, false)?;
    let grant = grants::own(conn, member, upload.grant_id, false)?;
    let checked = check(conn, member, grant, rows_of(&upload)?)?;
    Ok(Shown {
        id,
        checked,
        previewed_total: upload.total,
        issued_at: upload.issued_at,
    })
}

/// rule K2: issues every row of the kept file in the caller's transaction, or none. The
/// upload and the grant stay locked, so a second confirm waits and then issues nothing.
pub fn issue(conn: &mut PgConnection, caller: &Caller, id: i64) -> ServiceResult<BulkOutcome> {
    let member = admin(caller)?;
    let upload = load(conn, member, id, true)?;
    if upload.issued_at.is_some() {
        return Ok(BulkOutcome::AlreadyIssued);
    }
    let grant = grants::own(conn, member, upload.grant_id, true)?;
    let checked = check(conn, member, grant, rows_of(&upload)?)?;
    if !checked.issuable() {
        return Ok(BulkOutcome::Refused(Box::new(Shown {
            id,
            checked,
            previewed_total: upload.total,
            issued_at: None,
        })));
    }
    let entity = signing_entity_of(conn, member)?;
    let batch = Batch {
        member,
        grant: &checked.grant,
        scope: &checked.grant.row.scope,
        partner_signing_entity: &entity,
        today: today(),
    };
    let mut keyed = Vec::with_capacity(checked.rows.len());
    for row in &checked.rows {
        let line = row
            .line
            .as_ref()
            .ok_or_else(|| ServiceError::internal("checked row without a line"))?;
        let form_key = format!("{}:{}", upload.upload_key, row.raw.line);
        keyed.push(Keyed {
            line,
            key: issue_key(member, &form_key, line.customer_id),
        });
    }
    // One fan-out per chunk of rows (see `issue::write`).
    let issued = match write_many(conn, caller, &batch, &keyed, "")? {
        Ok(ids) => ids.len(),
        // The ledger refused under the lock: the caller's transaction rolls back.
        Err(r) => return Err(r.into()),
    };
    diesel::update(coupon_uploads::table.find(id))
        .set(coupon_uploads::issued_at.eq(diesel::dsl::now))
        .execute(conn)?;
    audit::record(
        conn,
        caller,
        Entry::new(actions::ISSUED, "coupon_upload", id).after(serde_json::json!({
            "grant": checked.grant.row.id, "coupons": issued,
            "total": checked.total.to_string(),
        })),
    )?;
    Ok(BulkOutcome::Issued(issued))
}
