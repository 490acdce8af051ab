//! Template structs of the coupon pages (fee_center).
