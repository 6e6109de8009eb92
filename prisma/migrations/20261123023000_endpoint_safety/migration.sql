-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN     "failing_since" TIMESTAMPTZ(3),
ADD COLUMN     "headers" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "rate_limit" INTEGER;

-- CreateTable
CREATE TABLE "operational_events" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "operational_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "operational_events_app_id_id_idx" ON "operational_events"("app_id", "id");

