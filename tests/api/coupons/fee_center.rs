//! Coupon tests (fee_center).
