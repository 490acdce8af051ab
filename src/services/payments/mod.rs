//! Paying orders and refunding them (rules K7, P2, P3, C8): how an order's amount is split
//! over a voucher, cash coupons, the balance and available credit, the transfers that move it
//! to the platform's revenue accounts, payment on behalf from the partner's cash, and refunds
//! that reverse exactly those transfers. Debts the credit creates are `services::credit`.

pub mod refusal;

pub use refusal::PaymentRefusal;
