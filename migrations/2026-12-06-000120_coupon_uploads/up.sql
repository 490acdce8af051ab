-- rule K2: a coupon bulk file (SPEC §6 "CSV files") kept between its dry-run preview and its
-- issue, so the confirm step does not upload it again and a second confirm issues nothing.
-- `rows` holds the parsed rows as typed (line, customer, face_value, valid_until); customers
-- are resolved and every row checked again when the file is shown or issued.
CREATE TABLE coupon_uploads (
    id          BIGSERIAL PRIMARY KEY,
    partner_id  BIGINT NOT NULL REFERENCES organizations (id),
    grant_id    BIGINT NOT NULL REFERENCES quota_grants (id),
    rows        JSONB NOT NULL,
    row_count   INTEGER NOT NULL CHECK (row_count BETWEEN 1 AND 10000),
    -- The sum of the face values that parse, as previewed.
    total       NUMERIC(20,2) NOT NULL CHECK (total >= 0),
    -- The coupons' issue keys derive from it (one per row).
    upload_key  TEXT NOT NULL UNIQUE,
    created_by  BIGINT REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    issued_at   TIMESTAMPTZ
);
CREATE INDEX coupon_uploads_partner_idx ON coupon_uploads (partner_id, id DESC);
