//! A distributor's resellers and their funds (rules R1–R3, SPEC §6 "Roles for money pages").

mod access;
mod applications;
mod funds;
mod html;
mod invitations;
mod list;
mod moves;

use crate::support::TestApp;

pub fn bluebird(app: &TestApp) -> i64 {
    app.id_of("SELECT id AS n FROM organizations WHERE name = 'Bluebird Cloud'")
}

/// An organisation's cash in cents (0 when not opened).
pub fn cash_cents(app: &TestApp, org: i64) -> i64 {
    app.count(&format!(
        "SELECT COALESCE((SELECT (balance * 100)::bigint FROM ledger_accounts \
         WHERE kind = 'partner_cash' AND owner_org_id = {org}), 0) AS n"
    ))
}

pub fn northwind(app: &TestApp) -> i64 {
    app.id_of("SELECT id AS n FROM organizations WHERE name = 'Northwind Distribution'")
}

/// A second distributor with one reseller of its own: (distributor, reseller).
pub fn other_distributor(app: &TestApp) -> (i64, i64) {
    let d = app.id_of(
        "INSERT INTO organizations (name, kind, signing_entity) \
         VALUES ('Fabrikam Distribution', 'distributor', 'Huawei Cloud Computing Technologies Co., Ltd.') \
         RETURNING id AS n",
    );
    let r = app.id_of(&format!(
        "INSERT INTO organizations (name, kind, parent_id, signing_entity) \
         VALUES ('Fabrikam Reseller', 'reseller', {d}, 'Huawei Cloud Computing Technologies Co., Ltd.') \
         RETURNING id AS n"
    ));
    (d, r)
}
