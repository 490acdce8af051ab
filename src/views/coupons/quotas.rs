//! Template structs of the coupon pages (quotas).
