//! Operators' grants, adjustments and freezes (rules K1, K2a) and the partner's quota page.
