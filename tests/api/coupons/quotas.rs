//! Coupon tests (quotas).
