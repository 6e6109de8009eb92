-- AlterTable
ALTER TABLE "apps" ADD COLUMN     "accent_color" TEXT,
ADD COLUMN     "display_name" TEXT,
ADD COLUMN     "logo_url" TEXT;

-- CreateTable
CREATE TABLE "event_types" (
    "id" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "example" TEXT NOT NULL,
    "schema" JSONB,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "event_types_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "event_types_app_id_id_idx" ON "event_types"("app_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "event_types_app_id_name_key" ON "event_types"("app_id", "name");

-- AddForeignKey
ALTER TABLE "event_types" ADD CONSTRAINT "event_types_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;

