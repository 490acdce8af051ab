//! Passing quota to resellers in bulk and reclaiming it (rules K1, K3, R3).
