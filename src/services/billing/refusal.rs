//! Why a billing or invoicing action is refused, each with the message people read
//! (`billing.refused.*` in `locales/billing.yml`).

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
}

impl BillingRefusal {
    pub fn key(self) -> &'static str {
        match self {
            BillingRefusal::MonthNotClosed => "billing.refused.month_not_closed",
            BillingRefusal::MonthNotInvoiceable => "billing.refused.month_not_invoiceable",
            BillingRefusal::SpecialForOrganisation => "billing.refused.special_for_organisation",
            BillingRefusal::WrongInvoiceState => "billing.refused.wrong_invoice_state",
        }
    }
}
