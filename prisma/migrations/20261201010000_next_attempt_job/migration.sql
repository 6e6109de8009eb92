-- A delivery row now names the batch job that holds its next scheduled
-- attempt, whichever it is, not only the first. Moving a delivery on to a
-- retry empties the column, and the retry scheduler in the worker claims
-- the row once it is due, together with every other due retry, and queues
-- them as one job. A retry was a delayed job of its own before.
-- Pending rows written before this change have their next attempt in a
-- job of their own (id, then -s and the attempt number): they name it, so
-- that the scheduler does not queue those attempts a second time.
-- (No semicolons or apostrophes in these comments: the migration engine splits on them.)

-- RenameColumn
ALTER TABLE "deliveries" RENAME COLUMN "first_attempt_job" TO "next_attempt_job";

-- Backfill
UPDATE "deliveries" SET "next_attempt_job" = "id" || '-s' || ("scheduled_attempts" + 1)
WHERE "status" = 'pending' AND ("scheduled_attempts" > 0 OR "next_attempt_job" IS NULL);

-- CreateIndex
CREATE INDEX "deliveries_awaiting_retry" ON "deliveries"("next_attempt_at") WHERE "status" = 'pending' AND "next_attempt_job" IS NULL;
