-- The endpoint log filters by code ("4xx", "503", "timeout"...) look for
-- failed attempts of one endpoint. Without an index on the code, a filter
-- that matches few or none read the whole attempts table. Partial, so that
-- successful attempts (nearly all of them) cost no extra index entry.
-- The Prisma schema cannot express partial indexes: they live here only.
-- (No apostrophes in these comments: the migration engine reads them as quotes.)

-- CreateIndex
CREATE INDEX "attempts_failed_by_code" ON "attempts"("endpoint_id", "response_status_code", "delivery_id") WHERE NOT "succeeded";

-- CreateIndex
CREATE INDEX "attempts_failed_by_error" ON "attempts"("endpoint_id", "error", "delivery_id") WHERE "error" IS NOT NULL;
