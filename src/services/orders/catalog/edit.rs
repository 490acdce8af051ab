//! Changing the catalog (rule P1): adding a product, changing it, stopping and resuming its
//! sales, each audited. A product's code is fixed once it exists.

use chrono::Utc;
use diesel::prelude::*;
use rust_decimal::Decimal;

use super::{NewProduct, Product, TAX_RATES, valid_code};
use crate::audit::{self, Entry};
use crate::db::schema::{cloud_services, products};
use crate::domain::Caller;
use crate::services::orders::{OrderRefusal, actions};
use crate::services::{ServiceError, ServiceResult};

fn require_service(conn: &mut PgConnection, code: &str) -> ServiceResult<()> {
    let known: i64 = cloud_services::table
        .filter(cloud_services::code.eq(code))
        .count()
        .get_result(conn)?;
    if known == 0 {
        return Err(OrderRefusal::UnknownService.into());
    }
    Ok(())
}

fn require_shape(new: &NewProduct) -> ServiceResult<()> {
    let positive = |p: Option<Decimal>| p.is_none_or(|p| p > Decimal::ZERO);
    if !valid_code(&new.code)
        || !TAX_RATES.contains(&new.tax_rate)
        || (new.monthly_price.is_none() && new.yearly_price.is_none())
        || !positive(new.monthly_price)
        || !positive(new.yearly_price)
    {
        return Err(ServiceError::Malformed("product"));
    }
    Ok(())
}

fn snapshot(p: &NewProduct) -> serde_json::Value {
    serde_json::json!({
        "code": p.code, "name_en": p.name_en, "name_zh": p.name_zh, "service": p.service_code,
        "monthly_price": p.monthly_price.map(|d| d.to_string()),
        "yearly_price": p.yearly_price.map(|d| d.to_string()),
        "tax_rate": p.tax_rate, "needs_review": p.needs_review,
    })
}

/// rule P1: adds a product on sale; a code already in the catalog is refused.
pub fn create(conn: &mut PgConnection, caller: &Caller, new: &NewProduct) -> ServiceResult<i64> {
    caller.require_operator()?;
    require_shape(new)?;
    require_service(conn, &new.service_code)?;
    let id: Option<i64> = diesel::insert_into(products::table)
        .values((
            products::code.eq(&new.code),
            products::name_en.eq(&new.name_en),
            products::name_zh.eq(&new.name_zh),
            products::service_code.eq(&new.service_code),
            products::monthly_price.eq(new.monthly_price),
            products::yearly_price.eq(new.yearly_price),
            products::tax_rate.eq(new.tax_rate),
            products::needs_review.eq(new.needs_review),
        ))
        .on_conflict(products::code)
        .do_nothing()
        .returning(products::id)
        .get_result(conn)
        .optional()?;
    let id = id.ok_or(OrderRefusal::CodeTaken)?;
    audit::record(
        conn,
        caller,
        Entry::new(actions::PRODUCT_CREATED, "product", id).after(snapshot(new)),
    )?;
    Ok(id)
}

/// rule P1: changes a product's names, service, prices, tax rate and review flag. The code
/// stays: orders and usage records name the product by it. Orders already placed keep the
/// price they recorded.
pub fn update(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    new: &NewProduct,
) -> ServiceResult<()> {
    caller.require_operator()?;
    let before = lock(conn, id)?;
    let new = NewProduct {
        code: before.code.clone(),
        ..new.clone()
    };
    require_shape(&new)?;
    require_service(conn, &new.service_code)?;
    diesel::update(products::table.find(id))
        .set((
            products::name_en.eq(&new.name_en),
            products::name_zh.eq(&new.name_zh),
            products::service_code.eq(&new.service_code),
            products::monthly_price.eq(new.monthly_price),
            products::yearly_price.eq(new.yearly_price),
            products::tax_rate.eq(new.tax_rate),
            products::needs_review.eq(new.needs_review),
            products::updated_at.eq(Utc::now()),
        ))
        .execute(conn)?;
    let old = NewProduct {
        code: before.code,
        name_en: before.name_en,
        name_zh: before.name_zh,
        service_code: before.service_code,
        monthly_price: before.monthly_price,
        yearly_price: before.yearly_price,
        tax_rate: before.tax_rate,
        needs_review: before.needs_review,
    };
    audit::record(
        conn,
        caller,
        Entry::new(actions::PRODUCT_UPDATED, "product", id)
            .before(snapshot(&old))
            .after(snapshot(&new)),
    )?;
    Ok(())
}

/// rule P1: stops (`active = false`) or resumes selling a product. Orders already placed are
/// not touched. Asking for the state it is already in changes nothing.
pub fn set_on_sale(
    conn: &mut PgConnection,
    caller: &Caller,
    id: i64,
    active: bool,
) -> ServiceResult<()> {
    caller.require_operator()?;
    let before = lock(conn, id)?;
    if before.active == active {
        return Ok(());
    }
    diesel::update(products::table.find(id))
        .set((
            products::active.eq(active),
            products::updated_at.eq(Utc::now()),
        ))
        .execute(conn)?;
    let action = if active {
        actions::PRODUCT_RESUMED
    } else {
        actions::PRODUCT_STOPPED
    };
    audit::record(conn, caller, Entry::new(action, "product", id))?;
    Ok(())
}

fn lock(conn: &mut PgConnection, id: i64) -> ServiceResult<Product> {
    products::table
        .find(id)
        .select(Product::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .ok_or(ServiceError::NotFound)
}
