//! The stored words of invoicing: an invoice's state (rule B7) and its medium (B5: an
//! electronic invoice is at most 1,000,000.00; a paper one is mailed).

use crate::domain::states::text_enum;

text_enum! {
    /// rule B7: pending → issued → mailed (paper); pending → rejected; issued or mailed →
    /// returned (退票). Rejected and returned invoices hold no items.
    InvoiceState {
        Pending => "pending",
        Issued => "issued",
        Mailed => "mailed",
        Rejected => "rejected",
        Returned => "returned",
    }
}

text_enum! {
    /// How the invoice reaches the customer.
    Medium {
        Electronic => "electronic",
        Paper => "paper",
    }
}

text_enum! {
    /// rule B3: who the title is for.
    TitleType {
        Enterprise => "enterprise",
        Organisation => "organisation",
    }
}

text_enum! {
    /// rule B3: the kind of VAT invoice a title takes.
    InvoiceKind {
        VatNormal => "vat_normal",
        VatSpecial => "vat_special",
    }
}

impl InvoiceState {
    /// Whether the invoice still holds its items (B7: until rejected or returned).
    pub fn holds_items(self) -> bool {
        matches!(
            self,
            InvoiceState::Pending | InvoiceState::Issued | InvoiceState::Mailed
        )
    }

    /// rule B7: the moves the issuer may make.
    pub fn can_become(self, next: InvoiceState) -> bool {
        use InvoiceState::*;
        matches!(
            (self, next),
            (Pending, Issued)
                | (Pending, Rejected)
                | (Issued, Mailed)
                | (Issued, Returned)
                | (Mailed, Returned)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::InvoiceState::*;
    use super::*;

    #[test]
    fn states_move_only_forward_and_closed_ones_free_their_items() {
        assert!(Pending.can_become(Issued));
        assert!(Pending.can_become(Rejected));
        assert!(Issued.can_become(Returned));
        assert!(Mailed.can_become(Returned));
        assert!(!Pending.can_become(Returned));
        assert!(!Rejected.can_become(Issued));
        assert!(!Returned.can_become(Issued));
        assert!(!Issued.can_become(Rejected));
        for s in InvoiceState::ALL {
            assert_eq!(InvoiceState::parse(s.as_str()), Some(*s));
        }
        assert!(Issued.holds_items() && !Returned.holds_items() && !Rejected.holds_items());
    }
}
