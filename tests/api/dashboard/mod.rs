//! The partner dashboard's trends (rule C5): twelve months of consumption (issued bills) and
//! performance (paid orders) with a table beside each chart, per manager as each role may see.

mod folding;
mod trends;
