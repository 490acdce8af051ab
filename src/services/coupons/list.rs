//! The issued-coupons list, one coupon with its history, CSV export and bulk recovery (rules K2, K3, C10).
