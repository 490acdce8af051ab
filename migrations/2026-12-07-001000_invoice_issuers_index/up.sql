-- The issuers a customer has free invoice items with (rule B7), for the request form's issuer
-- choice: read by skipping from one issuer to the next, a few probes whatever the number of
-- items (a DISTINCT over the open-items index read all of a customer's items, 1,015 in the
-- pages benchmark, on every view of the form).
CREATE INDEX invoice_items_open_issuer_idx ON invoice_items (customer_id, issuer_org_id)
    WHERE invoice_id IS NULL;
