-- AlterTable
ALTER TABLE "events" ADD COLUMN     "trace_parent" TEXT,
ADD COLUMN     "trace_state" TEXT;

-- AlterTable
ALTER TABLE "attempts" ADD COLUMN     "trace_id" TEXT;

