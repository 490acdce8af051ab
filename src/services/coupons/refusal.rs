//! Why a coupon or quota action is refused, one reason per rule, each with the message people
//! read (`coupons.refused.*` in `locales/coupons.yml`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CouponRefusal {
    /// rule K2a: only a normal grant issues or passes (frozen, adjusting or invalid do not).
    GrantNotNormal,
    /// The grant's validity has ended.
    GrantExpired,
    /// The grant has less quota left than the coupons (or the pass) need.
    NotEnoughQuota,
    /// rule K2: a coupon's validity never goes beyond its grant's.
    BeyondGrantValidity,
    /// A validity that ends before today, or starts after it ends.
    ValidityInPast,
    /// rule K2: a coupon's scope may only narrow its grant's.
    ScopeWider,
    /// A service code that is not in the catalogue.
    UnknownService,
    /// rule K2: at most ten services.
    TooManyServices,
    /// rule K5: a restricted cash coupon cannot go to a resale customer.
    RestrictedResale,
    /// rule K5: nor to a customer whose signing entity differs from the partner's.
    RestrictedSigningEntity,
    /// The customer is not (or no longer) associated with the issuing partner.
    NotOurCustomer,
    /// rule K3: only usable coupons are recovered.
    NotUsable,
    /// rule K1: quota passes only to the distributor's own resellers.
    NotOurReseller,
    /// rule K1: a passed grant is not passed on again.
    PassedGrant,
    /// rule K3: the passed grant has nothing left to reclaim.
    NothingToReclaim,
    /// rule K2a: an adjustment already waits for approval.
    AdjustmentPending,
    /// A decrease larger than what the grant has left.
    DecreaseTooLarge,
    /// The adjustment was decided already.
    AlreadyDecided,
    /// rule K2: one form issues to at most 10 customers; a pass reaches at most 100.
    TooMany,
}

impl CouponRefusal {
    pub fn key(self) -> &'static str {
        match self {
            CouponRefusal::GrantNotNormal => "coupons.refused.grant_not_normal",
            CouponRefusal::GrantExpired => "coupons.refused.grant_expired",
            CouponRefusal::NotEnoughQuota => "coupons.refused.not_enough_quota",
            CouponRefusal::BeyondGrantValidity => "coupons.refused.beyond_validity",
            CouponRefusal::ValidityInPast => "coupons.refused.validity_in_past",
            CouponRefusal::ScopeWider => "coupons.refused.scope_wider",
            CouponRefusal::UnknownService => "coupons.refused.unknown_service",
            CouponRefusal::TooManyServices => "coupons.refused.too_many_services",
            CouponRefusal::RestrictedResale => "coupons.refused.k5_resale",
            CouponRefusal::RestrictedSigningEntity => "coupons.refused.k5_signing_entity",
            CouponRefusal::NotOurCustomer => "coupons.refused.not_our_customer",
            CouponRefusal::NotUsable => "coupons.refused.not_usable",
            CouponRefusal::NotOurReseller => "coupons.refused.not_our_reseller",
            CouponRefusal::PassedGrant => "coupons.refused.passed_grant",
            CouponRefusal::NothingToReclaim => "coupons.refused.nothing_to_reclaim",
            CouponRefusal::AdjustmentPending => "coupons.refused.adjustment_pending",
            CouponRefusal::DecreaseTooLarge => "coupons.refused.decrease_too_large",
            CouponRefusal::AlreadyDecided => "coupons.refused.already_decided",
            CouponRefusal::TooMany => "coupons.refused.too_many",
        }
    }
}
