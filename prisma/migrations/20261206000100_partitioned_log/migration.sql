-- Events, deliveries and attempts are partitioned by day, so that retention
-- drops whole partitions (lib/retention/) instead of deleting rows, and the
-- tables keep a bounded size. The partition key is the id itself: ids are
-- a prefix and a ULID whose first 10 characters encode the creation time,
-- so the primary keys and the keyset pages stay as they are, and a query
-- with an id range reads only the days it covers. The id columns use the
-- C collation, which orders ids byte by byte: the partition bounds, the
-- indexes and every comparison in a query then agree, which partition
-- pruning needs.
-- A unique index on a partitioned table must contain the partition key, so
--   idempotency keys move to a table of their own, idempotency_keys, and
--   the pair (event, endpoint) of a delivery is indexed but no longer unique
--   (ingestion makes one delivery per pair).
-- Foreign keys that reference a partitioned table make dropping one of its
--   partitions scan every referencing row, so attempts no longer reference
--   deliveries nor deliveries events. Attempts reference their endpoint
--   instead, so deleting an endpoint or an app still deletes its whole log.
-- There is no default partition: a row belongs to its day, and the worker
--   creates the days ahead (and so does every run of the migrations).
--   Empty days ahead cost nothing, and without a default partition every
--   query with an id range reads only its days.
-- The rows are copied into the new layout, none is lost.
-- (No semicolons or apostrophes in these comments: the migration engine splits on them.)

-- CreateFunction
CREATE FUNCTION "hookpost_ulid_time"("at" TIMESTAMPTZ) RETURNS TEXT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ',
           ((floor(extract(epoch FROM "at") * 1000)::BIGINT >> (5 * (9 - i))) & 31)::INT + 1, 1), '' ORDER BY i)
  FROM generate_series(0, 9) AS i
$$;

-- CreateFunction
-- The body is an escaped string, with 073 for each statement end, because
-- the migration engine splits the script at every semicolon.
CREATE FUNCTION "hookpost_create_partitions"("first_day" DATE, "last_day" DATE) RETURNS INTEGER
LANGUAGE plpgsql AS E'
DECLARE
  each_day DATE\073
  log_table RECORD\073
  partition_name TEXT\073
  created INTEGER := 0\073
BEGIN
  FOR each_day IN SELECT generate_series(first_day, last_day, INTERVAL ''1 day'')::DATE LOOP
    FOR log_table IN SELECT * FROM (VALUES (''events'', ''msg_''), (''deliveries'', ''dlv_''), (''attempts'', ''atm_'')) AS t(parent, prefix) LOOP
      partition_name := log_table.parent || ''_p'' || to_char(each_day, ''YYYYMMDD'')\073
      CONTINUE WHEN to_regclass(format(''%I'', partition_name)) IS NOT NULL\073
      EXECUTE format(''CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)'',
        partition_name, log_table.parent,
        log_table.prefix || hookpost_ulid_time(each_day::TIMESTAMP AT TIME ZONE ''UTC''),
        log_table.prefix || hookpost_ulid_time((each_day + 1)::TIMESTAMP AT TIME ZONE ''UTC''))\073
      IF log_table.parent = ''attempts'' THEN
        EXECUTE format(''CREATE STATISTICS %I (mcv) ON succeeded, response_status_code FROM %I'',
          partition_name || ''_outcome_stats'', partition_name)\073
      END IF\073
      created := created + 1\073
    END LOOP\073
  END LOOP\073
  RETURN created\073
END';

-- RenameTable
ALTER TABLE "attempts" RENAME TO "attempts_unpartitioned";
ALTER TABLE "deliveries" RENAME TO "deliveries_unpartitioned";
ALTER TABLE "events" RENAME TO "events_unpartitioned";

-- CreateTable
CREATE TABLE "events" (
    "id" TEXT COLLATE "C" NOT NULL,
    "app_id" TEXT NOT NULL,
    "event_type" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "external_id" TEXT,
    "idempotency_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
) PARTITION BY RANGE ("id");

-- CreateTable
CREATE TABLE "deliveries" (
    "id" TEXT COLLATE "C" NOT NULL,
    "app_id" TEXT NOT NULL,
    "event_id" TEXT COLLATE "C" NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "status" "delivery_status" NOT NULL DEFAULT 'pending',
    "attempt_count" INTEGER NOT NULL DEFAULT 0,
    "scheduled_attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_job" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3),
    "first_attempt_at" TIMESTAMPTZ(3),
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_status_code" INTEGER,
    "held_since" TIMESTAMPTZ(3),
    "failure_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
) PARTITION BY RANGE ("id");

-- CreateTable
CREATE TABLE "attempts" (
    "id" TEXT COLLATE "C" NOT NULL,
    "delivery_id" TEXT COLLATE "C" NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "trigger" "attempt_trigger" NOT NULL,
    "triggered_by" TEXT,
    "response_status_code" INTEGER,
    "response_body" TEXT,
    "error" TEXT,
    "error_detail" TEXT,
    "duration_ms" INTEGER NOT NULL,
    "succeeded" BOOLEAN NOT NULL,
    "request_headers" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
) PARTITION BY RANGE ("id");

-- CreatePartitions
-- From the day before the oldest row, in case an id was made a little
-- before its row was written, to a week ahead.
SELECT hookpost_create_partitions(
  least(
    (now() AT TIME ZONE 'UTC')::DATE,
    (SELECT (min("created_at") AT TIME ZONE 'UTC')::DATE - 1 FROM "events_unpartitioned"),
    (SELECT (min("created_at") AT TIME ZONE 'UTC')::DATE - 1 FROM "deliveries_unpartitioned"),
    (SELECT (min("created_at") AT TIME ZONE 'UTC')::DATE - 1 FROM "attempts_unpartitioned")),
  (now() AT TIME ZONE 'UTC')::DATE + 7);

-- CopyRows
INSERT INTO "events" ("id", "app_id", "event_type", "payload", "external_id", "idempotency_key", "created_at")
SELECT "id", "app_id", "event_type", "payload", "external_id", "idempotency_key", "created_at" FROM "events_unpartitioned";

INSERT INTO "deliveries" ("id", "app_id", "event_id", "endpoint_id", "status", "attempt_count", "scheduled_attempts",
  "next_attempt_job", "next_attempt_at", "first_attempt_at", "last_attempt_at", "last_status_code", "held_since",
  "failure_reason", "created_at")
SELECT "id", "app_id", "event_id", "endpoint_id", "status", "attempt_count", "scheduled_attempts",
  "next_attempt_job", "next_attempt_at", "first_attempt_at", "last_attempt_at", "last_status_code", "held_since",
  "failure_reason", "created_at" FROM "deliveries_unpartitioned";

INSERT INTO "attempts" ("id", "delivery_id", "endpoint_id", "trigger", "triggered_by", "response_status_code",
  "response_body", "error", "error_detail", "duration_ms", "succeeded", "request_headers", "created_at")
SELECT "id", "delivery_id", "endpoint_id", "trigger", "triggered_by", "response_status_code",
  "response_body", "error", "error_detail", "duration_ms", "succeeded", "request_headers", "created_at"
FROM "attempts_unpartitioned";

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "app_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "event_id" TEXT COLLATE "C" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("app_id", "key")
);

-- CopyRows
INSERT INTO "idempotency_keys" ("app_id", "key", "event_id", "created_at")
SELECT "app_id", "idempotency_key", "id", "created_at" FROM "events_unpartitioned" WHERE "idempotency_key" IS NOT NULL;

-- DropTable
DROP TABLE "attempts_unpartitioned";
DROP TABLE "deliveries_unpartitioned";
DROP TABLE "events_unpartitioned";

-- AddPrimaryKey
ALTER TABLE "events" ADD CONSTRAINT "events_pkey" PRIMARY KEY ("id");
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_pkey" PRIMARY KEY ("id");
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_pkey" PRIMARY KEY ("id");

-- CreateIndex
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");
CREATE INDEX "events_app_id_external_id_idx" ON "events"("app_id", "external_id");
CREATE INDEX "events_app_id_id_idx" ON "events"("app_id", "id");
CREATE INDEX "deliveries_event_id_endpoint_id_idx" ON "deliveries"("event_id", "endpoint_id");
CREATE INDEX "deliveries_endpoint_id_id_idx" ON "deliveries"("endpoint_id", "id");
CREATE INDEX "deliveries_endpoint_id_status_id_idx" ON "deliveries"("endpoint_id", "status", "id");
CREATE INDEX "deliveries_app_id_id_idx" ON "deliveries"("app_id", "id");
CREATE INDEX "deliveries_pending_by_next_attempt" ON "deliveries"("next_attempt_at") WHERE "status" = 'pending';
CREATE INDEX "deliveries_awaiting_retry" ON "deliveries"("next_attempt_at") WHERE "status" = 'pending' AND "next_attempt_job" IS NULL;
CREATE INDEX "deliveries_held" ON "deliveries"("endpoint_id", "id") WHERE "status" = 'pending' AND "held_since" IS NOT NULL;
CREATE INDEX "attempts_delivery_id_id_idx" ON "attempts"("delivery_id", "id");
CREATE INDEX "attempts_endpoint_id_id_idx" ON "attempts"("endpoint_id", "id");
CREATE INDEX "attempts_failed_by_code" ON "attempts"("endpoint_id", "response_status_code", "delivery_id") WHERE NOT "succeeded";
CREATE INDEX "attempts_failed_by_error" ON "attempts"("endpoint_id", "error", "delivery_id") WHERE "error" IS NOT NULL;
CREATE INDEX "attempts_failed_3xx" ON "attempts"("endpoint_id", "delivery_id") WHERE NOT "succeeded" AND "response_status_code" >= 300 AND "response_status_code" < 400;
CREATE INDEX "attempts_failed_4xx" ON "attempts"("endpoint_id", "delivery_id") WHERE NOT "succeeded" AND "response_status_code" >= 400 AND "response_status_code" < 500;
CREATE INDEX "attempts_failed_5xx" ON "attempts"("endpoint_id", "delivery_id") WHERE NOT "succeeded" AND "response_status_code" >= 500 AND "response_status_code" < 600;

-- AddForeignKey
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "events" ADD CONSTRAINT "events_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_app_id_fkey" FOREIGN KEY ("app_id") REFERENCES "apps"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;
