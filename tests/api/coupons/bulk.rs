//! Coupon tests (bulk).
