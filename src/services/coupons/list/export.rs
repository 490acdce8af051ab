//! The CSV export of the issued-coupons list (rules X3, C10, A5): admins only, every coupon the
//! list would show with the same filters, newest first, e-mails masked, read in keyset chunks
//! (one statement each).

use diesel::prelude::*;

use super::{CouponLine, Cursor, Filter, lines};
use crate::db::scalar::none;
use crate::domain::Caller;
use crate::services::ServiceResult;

/// How many coupons one chunk of the export reads.
const CHUNK: i64 = 1000;

/// rule C10: only admins export; supervisors and customer managers are refused.
pub fn export_rows(
    conn: &mut PgConnection,
    caller: &Caller,
    filter: &Filter,
) -> ServiceResult<Vec<CouponLine>> {
    let member = super::super::admin(caller)?;
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let (rows, next, _) = lines(conn, member, filter, after, CHUNK, none())?;
        out.extend(rows);
        match next.as_deref().and_then(Cursor::parse) {
            Some(c) => after = Some(c),
            None => return Ok(out),
        }
    }
}
