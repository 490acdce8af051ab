DROP TABLE coupon_uploads;
