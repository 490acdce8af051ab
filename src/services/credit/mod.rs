//! Credit lines, debts and arrears (SPEC §6 "Settlement"), and partners' withdrawals (rule
//! P4): a resale customer's credit limit, the debts that credit use and unpaid bills create,
//! repayment of the oldest debt first when money reaches the balance, who is in arrears (欠费),
//! the withdrawable amount and withdrawal requests.

pub mod account;
pub mod arrears;
pub mod debts;
pub mod decide;
pub mod limit;
pub mod line;
pub mod ops_list;
pub mod refusal;
pub mod withdrawable;
pub mod withdrawals;

pub use refusal::CreditRefusal;
