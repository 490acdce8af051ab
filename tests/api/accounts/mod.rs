//! Accounts: the join page's address confirmation and password reset by mailed single-use
//! links (rules C1, C7, A1, A2; SPEC §6 password reset and throttling).

mod join_verify;
mod password_reset;
