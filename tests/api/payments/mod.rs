//! Paying orders and refunding them (rules K7, P2, P3, C8), driven through the payments
//! services on a seeded database: splits exact to the cent, payment on behalf racing itself,
//! pro-rata refunds to whoever paid, forfeited voucher shares, credit debts.

pub(crate) mod fixtures;
mod on_behalf;
mod performance;
mod refunds;
mod revenue_report;
mod self_pay;
