//! Why a billing or invoicing action is refused, each with the message people read
//! (`billing.refused.*` in `locales/billing.yml`; the invoicing ones `invoices.refused.*` in
//! `locales/invoices.yml`).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillingRefusal {
    /// rule B2: only a month that has ended is billed.
    MonthNotClosed,
    /// rule B4: month M is invoiceable from the 3rd of M+1.
    MonthNotInvoiceable,
    /// rule B3: an organisation title takes VAT normal invoices only.
    SpecialForOrganisation,
    /// rule B7: only a pending request is issued or rejected; only an issued invoice returned.
    WrongInvoiceState,
    /// rule B6: the amount asked is more than the issuer's invoiceable items add up to.
    AmountOverInvoiceable,
    /// rule B6: the amount asked is too small to carry the refunds matched first.
    AmountBelowRefunds,
    /// rule B7: an item is on a pending or issued invoice (or was just requested).
    ItemTaken,
    /// rule B6: no item was picked.
    NothingPicked,
    /// rules B5, B6: the refunds picked at one signing entity and tax rate outweigh its items.
    RefundsOutweighItems,
    /// rule B6: the invoiceable items changed since the match was shown.
    MatchChanged,
    /// rule B7: a paper invoice needs the title's postal address.
    PaperNeedsAddress,
    /// rule B7: the issuer has already used this invoice number.
    InvoiceNumberTaken,
    /// rule B7: only an issued paper invoice is mailed.
    NotPaper,
}

impl BillingRefusal {
    pub fn key(self) -> &'static str {
        match self {
            BillingRefusal::MonthNotClosed => "billing.refused.month_not_closed",
            BillingRefusal::MonthNotInvoiceable => "billing.refused.month_not_invoiceable",
            BillingRefusal::SpecialForOrganisation => "billing.refused.special_for_organisation",
            BillingRefusal::WrongInvoiceState => "billing.refused.wrong_invoice_state",
            BillingRefusal::AmountOverInvoiceable => "invoices.refused.amount_over_invoiceable",
            BillingRefusal::AmountBelowRefunds => "invoices.refused.amount_below_refunds",
            BillingRefusal::ItemTaken => "invoices.refused.item_taken",
            BillingRefusal::NothingPicked => "invoices.refused.nothing_picked",
            BillingRefusal::RefundsOutweighItems => "invoices.refused.refunds_outweigh_items",
            BillingRefusal::MatchChanged => "invoices.refused.match_changed",
            BillingRefusal::PaperNeedsAddress => "invoices.refused.paper_needs_address",
            BillingRefusal::InvoiceNumberTaken => "invoices.refused.number_taken",
            BillingRefusal::NotPaper => "invoices.refused.not_paper",
        }
    }
}
