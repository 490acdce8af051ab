//! Usage scope (rule K2): the cloud services a grant or coupon may pay for. Empty means every
//! service; a coupon's scope may only narrow its grant's; at most ten services.

use diesel::prelude::*;

use super::{CouponRefusal, SCOPE_MAX};
use crate::db::schema::cloud_services;

/// One cloud service as forms list it.
#[derive(Queryable, Debug, Clone)]
pub struct Service {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
}

/// Every service, by code (a small table).
pub fn services(conn: &mut PgConnection) -> QueryResult<Vec<Service>> {
    cloud_services::table
        .order(cloud_services::code)
        .select((
            cloud_services::code,
            cloud_services::name_en,
            cloud_services::name_zh,
        ))
        .load(conn)
}

/// The chosen codes as a sorted, de-duplicated scope, each known to the catalogue.
pub fn parse(
    conn: &mut PgConnection,
    codes: &[String],
) -> QueryResult<Result<Vec<String>, CouponRefusal>> {
    let mut scope: Vec<String> = codes
        .iter()
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    scope.sort();
    scope.dedup();
    if scope.len() > SCOPE_MAX {
        return Ok(Err(CouponRefusal::TooManyServices));
    }
    if scope.is_empty() {
        return Ok(Ok(scope));
    }
    let known: i64 = cloud_services::table
        .filter(cloud_services::code.eq_any(&scope))
        .count()
        .get_result(conn)?;
    if known != scope.len() as i64 {
        return Ok(Err(CouponRefusal::UnknownService));
    }
    Ok(Ok(scope))
}

/// rule K2: whether `inner` only narrows `outer` (empty = every service).
pub fn narrows(outer: &[String], inner: &[String]) -> bool {
    if outer.is_empty() {
        return true;
    }
    !inner.is_empty() && inner.iter().all(|c| outer.contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(codes: &[&str]) -> Vec<String> {
        codes.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_coupon_scope_only_narrows_its_grants() {
        assert!(narrows(&v(&[]), &v(&[])), "all within all");
        assert!(narrows(&v(&[]), &v(&["ECS"])));
        assert!(narrows(&v(&["ECS", "OBS"]), &v(&["OBS"])));
        assert!(narrows(&v(&["ECS", "OBS"]), &v(&["ECS", "OBS"])));
        assert!(!narrows(&v(&["ECS"]), &v(&[])), "all is wider than ECS");
        assert!(!narrows(&v(&["ECS"]), &v(&["ECS", "RDS"])));
    }
}
