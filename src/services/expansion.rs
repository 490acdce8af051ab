//! Offline expansion (rule C7): one active public code per partner, behind a QR code. Codes do
//! not expire; regenerating voids the old one, whose page then says it is no longer valid.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Entry};
use crate::db::schema::{expansion_links, organizations};
use crate::domain::{Caller, OrgId};
use crate::services::{ServiceError, ServiceResult};

const CODE_LEN: usize = 16;

pub fn join_link(public_url: &str, code: &str) -> String {
    format!("{public_url}/join/{code}")
}

/// The partner's active code and when it was made.
pub fn active(
    conn: &mut PgConnection,
    org_id: OrgId,
) -> QueryResult<Option<(String, DateTime<Utc>)>> {
    expansion_links::table
        .filter(expansion_links::partner_id.eq(org_id))
        .filter(expansion_links::voided_at.is_null())
        .select((expansion_links::code, expansion_links::created_at))
        .first(conn)
        .optional()
}

/// Voids the active code (if any) and makes a new one.
pub fn regenerate(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<String> {
    let member = caller.member()?;
    member.require_admin()?;
    // Serialises two admins regenerating at once on the organisation row.
    organizations::table
        .find(member.org_id)
        .select(organizations::id)
        .for_update()
        .first::<i64>(conn)?;
    let old = active(conn, member.org_id)?.map(|(c, _)| c);
    diesel::update(
        expansion_links::table
            .filter(expansion_links::partner_id.eq(member.org_id))
            .filter(expansion_links::voided_at.is_null()),
    )
    .set(expansion_links::voided_at.eq(Some(Utc::now())))
    .execute(conn)?;
    let code = crate::auth::tokens::random_code(CODE_LEN);
    diesel::insert_into(expansion_links::table)
        .values((
            expansion_links::partner_id.eq(member.org_id),
            expansion_links::code.eq(&code),
            expansion_links::created_by.eq(Some(member.user_id)),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        caller,
        Entry::new("expansion.regenerate", "organization", member.org_id)
            .before(json!({ "code": old }))
            .after(json!({ "code": code })),
    )?;
    Ok(code)
}

/// What a public code leads to: `Some((partner id, partner name, active))`.
pub fn resolve(conn: &mut PgConnection, code: &str) -> QueryResult<Option<(i64, String, bool)>> {
    if code.len() > 64 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Ok(None);
    }
    let row: Option<(i64, String, Option<DateTime<Utc>>)> = expansion_links::table
        .inner_join(organizations::table.on(organizations::id.eq(expansion_links::partner_id)))
        .filter(expansion_links::code.eq(code))
        .select((
            organizations::id,
            organizations::name,
            expansion_links::voided_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, name, voided)| (id, name, voided.is_none())))
}

/// The QR code as an SVG document.
pub fn qr_svg(text: &str) -> ServiceResult<String> {
    let code =
        qrcode::QrCode::new(text.as_bytes()).map_err(|e| ServiceError::internal(e.to_string()))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// The QR code as a greyscale PNG: 8 pixels per module and a 4-module quiet zone.
pub fn qr_png(text: &str) -> ServiceResult<Vec<u8>> {
    const SCALE: usize = 8;
    const QUIET: usize = 4;
    let code =
        qrcode::QrCode::new(text.as_bytes()).map_err(|e| ServiceError::internal(e.to_string()))?;
    let width = code.width();
    let colors = code.to_colors();
    let side = (width + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (mx, my) = (i % width + QUIET, i / width + QUIET);
            for y in my * SCALE..(my + 1) * SCALE {
                pixels[y * side + mx * SCALE..y * side + (mx + 1) * SCALE].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side as u32, side as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| ServiceError::internal(e.to_string()))?;
        writer
            .write_image_data(&pixels)
            .map_err(|e| ServiceError::internal(e.to_string()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn qr_codes_render_as_png_and_svg() {
        let png = super::qr_png("http://127.0.0.1:8080/join/abc").unwrap();
        assert_eq!(&png[1..4], b"PNG");
        let svg = super::qr_svg("http://127.0.0.1:8080/join/abc").unwrap();
        assert!(svg.contains("<svg"));
    }
}
