//! Why an incentive, payment request or incentive invoice action is refused, each with the
//! message people read (`incentives.refused.*` in `locales/incentives.yml`) and the form field
//! it belongs beside.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncentiveRefusal {
    /// One incentive per partner, period and kind.
    Duplicate,
    /// An incentive for a month that has not begun.
    PeriodAhead,
    /// Nothing was chosen.
    NoneChosen,
    /// A batch covers at least two incentives; one alone is applied for by itself.
    BatchTooSmall,
    /// A batch whose total is more than one payment can carry.
    BatchTooLarge,
    /// The incentive already has a live payment request.
    AlreadyApplied,
    /// The step does not fit the request's state (approve a pending one, pay an approved one,
    /// reject one not yet paid).
    WrongPayoutState,
    /// rule B8: only paid incentives are invoiced.
    NotPaid,
    /// The incentive already has a pending or received invoice.
    AlreadyInvoiced,
    /// rule B8: an incentive applied for by itself goes on an invoice of its own.
    SingleNotShared,
    /// rule B8: only the periods of one batch (one payment request) share an invoice.
    BatchesNotShared,
    /// rule B8: the tax rate is 3% or 6%.
    TaxRate,
    /// The partner already has a live invoice with this number.
    DuplicateNumber,
    /// Only a pending invoice is received or rejected.
    InvoiceNotPending,
}

impl IncentiveRefusal {
    pub fn key(self) -> &'static str {
        use IncentiveRefusal::*;
        match self {
            Duplicate => "incentives.refused.duplicate",
            PeriodAhead => "incentives.refused.period_ahead",
            NoneChosen => "incentives.refused.none_chosen",
            BatchTooSmall => "incentives.refused.batch_too_small",
            BatchTooLarge => "incentives.refused.batch_too_large",
            AlreadyApplied => "incentives.refused.already_applied",
            WrongPayoutState => "incentives.refused.wrong_payout_state",
            NotPaid => "incentives.refused.not_paid",
            AlreadyInvoiced => "incentives.refused.already_invoiced",
            SingleNotShared => "incentives.refused.single_not_shared",
            BatchesNotShared => "incentives.refused.batches_not_shared",
            TaxRate => "incentives.refused.tax_rate",
            DuplicateNumber => "incentives.refused.duplicate_number",
            InvoiceNotPending => "incentives.refused.invoice_not_pending",
        }
    }

    /// The form field the message belongs beside.
    pub fn field(self) -> &'static str {
        use IncentiveRefusal::*;
        match self {
            Duplicate => "kind",
            PeriodAhead => "period",
            TaxRate => "tax_rate",
            DuplicateNumber => "number",
            _ => "incentive_id",
        }
    }
}
