//! Template structs of the coupon pages (list).
