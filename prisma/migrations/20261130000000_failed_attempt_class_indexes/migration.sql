-- The endpoint log filter by class ("5xx") is a range of status codes.
-- In attempts_failed_by_code a range comes before the delivery id, so a
-- page deep in the log read every failed attempt of the class and sorted
-- them. One partial index per failing class, keyed by endpoint and then
-- delivery, lets PostgreSQL read the class in delivery order from the
-- page cursor on, as it already does for a single code. 2xx attempts are
-- the successful ones and are not failed attempts. Each failed attempt
-- is in at most one of these, so together they are no larger than
-- attempts_failed_by_code.
-- The Prisma schema cannot express partial indexes: they live here only.
-- (No semicolons or apostrophes in these comments: the migration engine splits on them.)

-- CreateIndex
CREATE INDEX "attempts_failed_3xx" ON "attempts"("endpoint_id", "delivery_id") WHERE NOT "succeeded" AND "response_status_code" >= 300 AND "response_status_code" < 400;

-- CreateIndex
CREATE INDEX "attempts_failed_4xx" ON "attempts"("endpoint_id", "delivery_id") WHERE NOT "succeeded" AND "response_status_code" >= 400 AND "response_status_code" < 500;

-- CreateIndex
CREATE INDEX "attempts_failed_5xx" ON "attempts"("endpoint_id", "delivery_id") WHERE NOT "succeeded" AND "response_status_code" >= 500 AND "response_status_code" < 600;
