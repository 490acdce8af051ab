//! Why an order action is refused (rule P1), each with the message people read
//! (`orders.refused.*` in `locales/orders.yml`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderRefusal {
    /// rule P1: the order's state does not allow this step (paying a cancelled order,
    /// reviewing twice, cancelling a paid one, answering a 代付 request twice).
    IllegalTransition,
    /// The product is not in the catalog or no longer sold.
    ProductUnavailable,
    /// The product is not offered for this term.
    TermNotOffered,
    /// The customer is not associated with a partner, so it has no one to ask (rule P2).
    NoPartner,
    /// Catalog: another product has this code.
    CodeTaken,
    /// Catalog: the service is not one of the platform's cloud services.
    UnknownService,
}

impl OrderRefusal {
    pub fn key(self) -> &'static str {
        match self {
            OrderRefusal::IllegalTransition => "orders.refused.illegal_transition",
            OrderRefusal::ProductUnavailable => "orders.refused.product_unavailable",
            OrderRefusal::TermNotOffered => "orders.refused.term_not_offered",
            OrderRefusal::NoPartner => "orders.refused.no_partner",
            OrderRefusal::CodeTaken => "orders.refused.code_taken",
            OrderRefusal::UnknownService => "orders.refused.unknown_service",
        }
    }
}
