//! Orders (rule P1): the catalog customers buy from, an order's life from ordering to
//! completion or cancellation, review by operators, and the lists partners and customers read.
//! Paying and refunding are `services::payments`.

pub mod refusal;

pub use refusal::OrderRefusal;
