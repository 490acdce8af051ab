-- The customer list's filter combinations (rule C4) at many partners: with the default target
-- the extended statistics' MCV list kept only the commonest combinations of (partner,
-- verification, type, manager), so an empty combination of one partner was estimated from
-- other partners' customers (3,471 rows instead of 0) and the list walked the partner's whole
-- sort index (96 ms at 100k customers among 120k). A larger list keeps every partner's
-- combinations (up to 1,000 of them; ANALYZE samples more rows of this one table for it).
ALTER STATISTICS customers_filter_stats SET STATISTICS 1000;
