//! The first page of each audience: the partner dashboard and the fee center's home. Reads
//! only: an account not opened yet shows 0.00 (nothing is opened on a GET).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::page_limit::limited;
use crate::db::schema::{customers, invitations, organizations};
use crate::domain::{Caller, OutboxState};
use crate::ledger::{self, AccountKind};
use crate::services::ServiceResult;
use crate::services::invitations::pending_invitations;
use crate::services::scope::{visible_customer_count, visible_invitations};

pub struct PartnerDashboard {
    /// Customers the member sees (rule C4 scope).
    pub customers: i64,
    /// Pending invitations the member sees (`scope::visible_invitations`).
    pub pending_invitations: i64,
    /// The organisation's cash, for admins only (rule R3); a reseller's is its reseller
    /// balance.
    pub cash: Option<Decimal>,
    /// For a reseller: the distributor it belongs to.
    pub distributor: Option<String>,
    /// Usable coupons expiring within 7 days, counted up to `EXPIRING_SHOWN_UP_TO + 1`
    /// (rule K2a), for admins and supervisors (customer managers open no coupon page, C10).
    pub expiring_coupons: Option<i64>,
    /// 代付 requests waiting for the organisation (rule P2), counted up to
    /// `PENDING_SHOWN_UP_TO + 1`, for admins, who answer them.
    pub pay_requests: Option<i64>,
    /// Invoice requests waiting for the organisation (rule B7), within the member's scope,
    /// counted up to `invoices::lists::WAITING_SHOWN_UP_TO + 1`.
    pub invoices_waiting: i64,
}

/// The dashboard counts pending invitations up to this many and shows more as "100+".
pub const PENDING_SHOWN_UP_TO: i64 = 100;

pub fn partner_dashboard(
    conn: &mut PgConnection,
    caller: &Caller,
) -> ServiceResult<PartnerDashboard> {
    let m = caller.member()?;
    let customers = visible_customer_count(conn, m)?;
    let scope = visible_invitations(conn, m)?;
    // Counted up to a bound, so the tile costs the same however many invitations are out
    // (SPEC §5: a page's cost does not grow with the book); above it the tile shows "100+".
    let pending_invitations = limited(
        pending_invitations(m.org_id, crate::domain::InvitationKind::Customer)
            .filter(scope)
            .select(invitations::id),
        PENDING_SHOWN_UP_TO + 1,
    )
    .load::<i64>(conn)?
    .len() as i64;
    let cash = if m.is_admin() {
        Some(
            ledger::accounts::find_for_org(conn, m.org_id.get(), AccountKind::PartnerCash)?
                .map_or(Decimal::ZERO, |a| a.balance),
        )
    } else {
        None
    };
    let distributor = if m.org_kind == crate::domain::OrgKind::Reseller {
        let parent = diesel::alias!(organizations as parent);
        organizations::table
            .inner_join(
                parent.on(organizations::parent_id.eq(parent.field(organizations::id).nullable())),
            )
            .filter(organizations::id.eq(m.org_id))
            .select(parent.field(organizations::name))
            .first(conn)
            .optional()?
    } else {
        None
    };
    // One LIMITed statement on the usable-until index (a supervisor's team is read first).
    let expiring_coupons = match crate::services::coupons::reader(caller) {
        Ok(m) => Some(crate::services::coupons::list::expiring_soon_count(
            conn, m,
        )?),
        Err(_) => None,
    };
    // One LIMITed statement on `orders_partner_request_idx`.
    let pay_requests = if m.is_admin() {
        Some(crate::services::orders::partner_view::waiting_requests(
            conn,
            m,
            PENDING_SHOWN_UP_TO,
        )?)
    } else {
        None
    };
    let invoices_waiting = crate::services::invoices::lists::waiting(conn, caller)?;
    Ok(PartnerDashboard {
        customers,
        pending_invitations,
        cash,
        distributor,
        expiring_coupons,
        pay_requests,
        invoices_waiting,
    })
}

/// The partner a customer is associated with: name, association type and since when.
pub struct PartnerLine {
    pub name: String,
    pub association_type: String,
    pub since: Option<DateTime<Utc>>,
}

pub struct FeeCenterHome {
    pub company: String,
    pub partner: Option<PartnerLine>,
    pub balance: Decimal,
    pub credit_available: Decimal,
    /// What the usable vouchers and cash coupons hold (rule K6), one statement more.
    pub coupons: crate::services::coupons::customer_view::UsableTotals,
}

pub fn fee_center_home(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<FeeCenterHome> {
    let customer_id = caller.customer_id()?.get();
    let (company, partner_id, assoc, since): (
        String,
        Option<i64>,
        Option<String>,
        Option<DateTime<Utc>>,
    ) = customers::table
        .find(customer_id)
        .select((
            customers::company,
            customers::partner_id,
            customers::association_type,
            customers::associated_at,
        ))
        .first(conn)?;
    let partner = match partner_id {
        Some(pid) => Some(PartnerLine {
            name: organizations::table
                .find(pid)
                .select(organizations::name)
                .first(conn)?,
            association_type: assoc.unwrap_or_default(),
            since,
        }),
        None => None,
    };
    let balance =
        ledger::accounts::find_for_customer(conn, customer_id, AccountKind::CustomerBalance)?
            .map_or(Decimal::ZERO, |a| a.balance);
    let credit_available =
        ledger::accounts::find_for_customer(conn, customer_id, AccountKind::CustomerCredit)?
            .and_then(|a| a.available())
            .unwrap_or_default();
    let coupons = crate::services::coupons::customer_view::usable_totals(conn, customer_id)?;
    Ok(FeeCenterHome {
        company,
        partner,
        balance,
        credit_available,
        coupons,
    })
}

/// The operator console's first page: sizes of the platform, mail waiting or failed, and the
/// last ledger verification.
pub struct OpsHome {
    pub partners: i64,
    pub customers: i64,
    pub mail_pending: i64,
    pub mail_failed: i64,
    pub last_verification: Option<(bool, DateTime<Utc>)>,
    /// What customers paid to each signing entity, its revenue accounts summed (rule P2).
    pub revenue: Vec<(String, rust_decimal::Decimal)>,
}

pub fn ops_home(conn: &mut PgConnection, caller: &Caller) -> ServiceResult<OpsHome> {
    use crate::db::schema::{ledger_verifications, outbox};
    caller.require_operator()?;
    let partners: i64 = organizations::table.count().get_result(conn)?;
    let customers = crate::services::scope::platform_customer_count(conn)?;
    let mail_pending: i64 = outbox::table
        .filter(outbox::state.eq(OutboxState::Pending.as_str()))
        .count()
        .get_result(conn)?;
    let mail_failed: i64 = outbox::table
        .filter(outbox::state.eq(OutboxState::Failed.as_str()))
        .count()
        .get_result(conn)?;
    let last_verification = ledger_verifications::table
        .order(ledger_verifications::id.desc())
        .select((ledger_verifications::ok, ledger_verifications::finished_at))
        .first(conn)
        .optional()?;
    let revenue = crate::ledger::revenue::totals(conn)?;
    Ok(OpsHome {
        partners,
        customers,
        mail_pending,
        mail_failed,
        last_verification,
        revenue,
    })
}
