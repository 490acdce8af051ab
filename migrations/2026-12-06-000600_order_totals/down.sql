DROP TRIGGER orders_keep_month_totals ON orders;
DROP FUNCTION order_month_totals_keep();
DROP TABLE order_month_totals;
