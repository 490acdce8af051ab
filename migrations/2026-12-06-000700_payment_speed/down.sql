DROP TRIGGER customer_counts_update ON customers;
DROP FUNCTION customer_counts_move();
CREATE TRIGGER customer_counts_update AFTER UPDATE ON customers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION customer_counts_apply();
ALTER TABLE order_month_totals RESET (fillfactor);
