-- AlterTable
ALTER TABLE "deliveries" ADD COLUMN     "first_attempt_job" TEXT;
