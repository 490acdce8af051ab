-- The operators' review queue (rule P1, `/ops/orders`): orders pending review, newest first,
-- read from a small partial index instead of walking every order by id.
CREATE INDEX orders_review_idx ON orders (id) WHERE state = 'pending_review';
