-- Reversals are looked up by the transfer they correct: the ledger checks that the reversals
-- of a transfer never add up to more than the transfer itself.
CREATE INDEX ledger_transfers_reverses_idx ON ledger_transfers (reverses_id) WHERE reverses_id IS NOT NULL;
-- Entries of one account newest first (account pages, CSV export) use ledger_entries_account_idx.
