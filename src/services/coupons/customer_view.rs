//! The customer's own vouchers and cash coupons in the fee center (rule K6).
