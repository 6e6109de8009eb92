-- An endpoint that fails every attempt has its breaker state in its row, so
-- that every worker process agrees on it and a restart does not forget it.
-- A delivery its breaker holds waits in its row, unsent, and uses none of
-- its retry schedule: held_since marks it, next_attempt_at is its deadline.
-- (No semicolons or apostrophes in these comments: the migration engine splits on them.)

-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN     "breaker_failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "probe_at" TIMESTAMPTZ(3),
ADD COLUMN     "probe_wait_ms" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "failure_reason" TEXT,
ADD COLUMN     "held_since" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "endpoints_probe_due" ON "endpoints"("probe_at") WHERE "probe_at" IS NOT NULL;

-- CreateIndex
CREATE INDEX "deliveries_held" ON "deliveries"("endpoint_id", "id") WHERE "status" = 'pending' AND "held_since" IS NOT NULL;
