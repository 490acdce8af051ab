//! Coupon tests (list).
