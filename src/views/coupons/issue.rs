//! Template structs of the coupon pages (issue).
