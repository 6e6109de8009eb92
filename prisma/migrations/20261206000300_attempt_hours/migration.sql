-- Hourly totals of each endpoint's attempts, rolled up by the worker's
-- maintenance, for the endpoints overview (lib/deliveries/attempt-hours.ts).
CREATE TABLE "attempt_hours" (
    "endpoint_id" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "succeeded" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,

    CONSTRAINT "attempt_hours_pkey" PRIMARY KEY ("endpoint_id","hour")
);

ALTER TABLE "attempt_hours" ADD CONSTRAINT "attempt_hours_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One row at most. Without it nothing is rolled up yet, and the overview counts every attempt itself.
CREATE TABLE "attempt_hours_rolled" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "through" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "attempt_hours_rolled_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "attempt_hours_rolled_one_row" CHECK ("id")
);
