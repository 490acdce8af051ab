DROP INDEX IF EXISTS orders_review_idx;
