//! The first page of each audience: the partner dashboard and the fee center's home. Reads
//! only: an account not opened yet shows 0.00 (nothing is opened on a GET).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rust_decimal::Decimal;

use crate::db::page_limit::limited;
use crate::db::scalar::{count_of, none};
use crate::db::schema::{customers, invitations, organizations};
use crate::domain::{Caller, CouponKind, OutboxState};
use crate::ledger::{self, AccountKind};
use crate::services::ServiceResult;
use crate::services::invitations::pending_invitations;
use crate::services::scope::{visible_customer_total, visible_invitations};

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
    // Every tile is a value of one statement (`db::scalar`); the scopes of a supervisor's
    // team are read first.
    let scope = visible_invitations(conn, m)?;
    // Counted up to a bound, so the tile costs the same however many invitations are out
    // (SPEC §5: a page's cost does not grow with the book); above it the tile shows "100+".
    let invitations = count_of(limited(
        pending_invitations(m.org_id, crate::domain::InvitationKind::Customer)
            .filter(scope)
            .select(invitations::id),
        PENDING_SHOWN_UP_TO + 1,
    ));
    // The cash and the 代付 requests are the admins' (rules R3, P2).
    let (cash, pay_requests) = if m.is_admin() {
        (
            ledger::accounts::org_balance(m.org_id.get(), AccountKind::PartnerCash),
            crate::services::orders::partner_view::waiting_requests(m, PENDING_SHOWN_UP_TO)
                .nullable(),
        )
    } else {
        (none(), none())
    };
    // Customer managers open no coupon page (C10).
    let expiring_coupons = match crate::services::coupons::reader(caller) {
        Ok(m) => crate::services::coupons::list::expiring_soon_counted(conn, m)?.nullable(),
        Err(_) => none(),
    };
    let invoices_waiting = crate::services::invoices::lists::waiting_counted(conn, caller)?;
    let (customers, pending_invitations, cash, expiring_coupons, pay_requests, invoices_waiting): (
        Option<Decimal>,
        i64,
        Option<Decimal>,
        Option<i64>,
        Option<i64>,
        i64,
    ) = diesel::select((
        visible_customer_total(m),
        invitations,
        cash,
        expiring_coupons,
        pay_requests,
        invoices_waiting,
    ))
    .get_result(conn)?;
    let customers = customers.map_or(0, |t| i64::try_from(t).unwrap_or(i64::MAX));
    let cash = m.is_admin().then(|| cash.unwrap_or(Decimal::ZERO));
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
    use crate::db::scalar::value;
    use crate::db::schema::ledger_accounts;
    use crate::services::coupons::customer_view::usable_total;
    use diesel::sql_types::{Bool, Nullable, Numeric};
    let customer_id = caller.customer_id()?.get();
    let account = |kind: AccountKind| {
        ledger_accounts::table
            .filter(ledger_accounts::kind.eq(kind.as_str()))
            .filter(ledger_accounts::owner_customer_id.eq(customer_id))
            .limit(1)
    };
    // One statement: the customer and its partner, its balance and credit line (rule K7) and
    // what its usable coupons hold (rule K6), each a probe of its own index.
    #[allow(clippy::type_complexity)]
    let row: (
        (
            String,
            Option<String>,
            Option<DateTime<Utc>>,
            Option<String>,
        ),
        (
            Option<Decimal>,
            Option<Decimal>,
            Option<bool>,
            Option<Decimal>,
        ),
        (Option<Decimal>, Option<Decimal>),
    ) = customers::table
        .left_join(organizations::table)
        .filter(customers::id.eq(customer_id))
        .select((
            (
                customers::company,
                customers::association_type,
                customers::associated_at,
                organizations::name.nullable(),
            ),
            (
                value::<Nullable<Numeric>, _>(
                    account(AccountKind::CustomerBalance).select(ledger_accounts::balance),
                ),
                value::<Nullable<Numeric>, _>(
                    account(AccountKind::CustomerCredit).select(ledger_accounts::balance),
                ),
                value::<Nullable<Bool>, _>(
                    account(AccountKind::CustomerCredit).select(ledger_accounts::allow_negative),
                ),
                value::<Nullable<Numeric>, _>(
                    account(AccountKind::CustomerCredit).select(ledger_accounts::credit_limit),
                ),
            ),
            (
                usable_total(customer_id, CouponKind::Voucher),
                usable_total(customer_id, CouponKind::CashCoupon),
            ),
        ))
        .first(conn)?;
    let ((company, assoc, since, partner_name), (balance, credit, credit_negative, limit), coupons) =
        row;
    let partner = partner_name.map(|name| PartnerLine {
        name,
        association_type: assoc.unwrap_or_default(),
        since,
    });
    let credit_available = match (credit, credit_negative) {
        (Some(b), Some(negative)) => ledger::accounts::available(b, negative, limit),
        _ => None,
    };
    Ok(FeeCenterHome {
        company,
        partner,
        balance: balance.unwrap_or_default(),
        credit_available: credit_available.unwrap_or_default(),
        coupons: crate::services::coupons::customer_view::UsableTotals {
            vouchers: coupons.0.unwrap_or_default(),
            cash_coupons: coupons.1.unwrap_or_default(),
        },
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
