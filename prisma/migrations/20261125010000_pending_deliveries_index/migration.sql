-- The sweeper looks for pending deliveries whose next attempt is overdue.
-- The index it used covered every delivery ever made, by status, and grew
-- with the history. This one holds only the pending ones, so it stays as
-- small as the backlog, and a delivery that succeeds leaves it instead of
-- adding an entry to it.
-- The Prisma schema cannot express partial indexes: it lives here only.
-- (No semicolons or apostrophes in these comments: the migration engine splits on them.)

-- DropIndex
DROP INDEX "deliveries_status_next_attempt_at_idx";

-- CreateIndex
CREATE INDEX "deliveries_pending_by_next_attempt" ON "deliveries"("next_attempt_at") WHERE "status" = 'pending';
