//! The coupon pages (rules K1–K6): quotas, issuing, the issued list, the fee center's pages.

pub mod fee_center;
pub mod issue;
pub mod list;
pub mod quotas;
