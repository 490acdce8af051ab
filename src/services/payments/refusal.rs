//! Why a payment or refund is refused (rules K7, P2, P3), each with the message people read
//! (`payments.refused.*` in `locales/payments.yml`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentRefusal {
    /// The chosen funds do not cover the order; nothing was paid.
    NotEnoughFunds,
    /// rule K7: at most one voucher per order.
    OneVoucher,
    /// A chosen coupon is not the customer's, not usable, expired, or does not cover the
    /// product's service.
    CouponNotApplicable,
    /// rule P2: the partner's cash does not cover the order.
    PartnerCashShort,
    /// rule P3: only a completed, paid order that has not been unsubscribed is refunded.
    NotRefundable,
}

impl PaymentRefusal {
    pub fn key(self) -> &'static str {
        match self {
            PaymentRefusal::NotEnoughFunds => "payments.refused.not_enough_funds",
            PaymentRefusal::OneVoucher => "payments.refused.one_voucher",
            PaymentRefusal::CouponNotApplicable => "payments.refused.coupon_not_applicable",
            PaymentRefusal::PartnerCashShort => "payments.refused.partner_cash_short",
            PaymentRefusal::NotRefundable => "payments.refused.not_refundable",
        }
    }
}
