//! Coupon tests (issue).
