DROP TABLE incentive_invoice_items;
DROP TABLE incentive_payout_items;
DROP TABLE incentives;
DROP TABLE incentive_invoices;
DROP TABLE incentive_payouts;
