//! Demo funds between Northwind and its reseller Bluebird (rule R3): an allocation and a
//! reclaim of the same amount, made by Northwind's admin through the service, so both sides
//! show a history while every opening balance stays as SPEC §5 lists it.

use diesel::prelude::*;

use crate::domain::{MemberOf, Money, OrgId, OrgKind, Party, Role, UserId};
use crate::services::resellers::funds::{Direction, move_funds};

pub fn load(
    conn: &mut PgConnection,
    northwind: i64,
    admin: i64,
    bluebird: i64,
) -> anyhow::Result<()> {
    let mut caller = super::seed_actor();
    caller.party = Party::Member(MemberOf {
        user_id: UserId(admin),
        org_id: OrgId(northwind),
        org_kind: OrgKind::Distributor,
        role: Role::Admin,
    });
    caller.email = "admin@northwind.test".into();
    caller.name = "Nora Admin".into();
    for (direction, amount, remark, key) in [
        (
            Direction::Allocate,
            "2000.00",
            "December campaign budget",
            "demo-allocate-1",
        ),
        (
            Direction::Reclaim,
            "2000.00",
            "Campaign moved to January",
            "demo-reclaim-1",
        ),
    ] {
        let amount = Money::parse_positive(amount).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        move_funds(conn, &caller, bluebird, direction, amount, remark, key)
            .map_err(|e| anyhow::anyhow!("demo funds: {e}"))?;
    }
    Ok(())
}
