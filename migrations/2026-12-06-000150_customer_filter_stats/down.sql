ALTER STATISTICS customers_filter_stats SET STATISTICS -1;
