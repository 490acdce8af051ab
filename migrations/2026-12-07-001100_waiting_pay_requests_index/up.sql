-- The 代付 requests waiting for the partner (rule P2): the dashboard's tile counts them up to
-- its bound and the orders page's "to pay" tab lists them, newest first. Both ask for requested
-- orders still pending payment; the request index of 000200 leaves the state to a filter on
-- each order row, so the tile read a hundred orders (38 pages in the pages benchmark) where
-- this index answers from its own pages.
CREATE INDEX orders_waiting_request_idx ON orders (partner_id, id DESC)
    WHERE pay_request = 'requested' AND state = 'pending_payment';
