-- Every secret a rotation replaces keeps signing until its own overlap ends,
-- so an endpoint holds a list of them: JSON objects with the sealed secret
-- and its expiry as ISO-8601 in UTC, newest first. The one previous secret
-- an endpoint had moves into the list with its expiry, sealed as it was,
-- so key rotation (secrets reseal) covers it like any other. An expired
-- one is moved too and the worker prunes it.

-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN "previous_secrets" JSONB NOT NULL DEFAULT '[]';

-- Backfill
UPDATE "endpoints"
SET "previous_secrets" = jsonb_build_array(jsonb_build_object(
  'secret', "previous_secret",
  'expiresAt', to_char("previous_secret_expires_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
))
WHERE "previous_secret" IS NOT NULL AND "previous_secret_expires_at" IS NOT NULL;

-- AlterTable
ALTER TABLE "endpoints" DROP COLUMN "previous_secret",
DROP COLUMN "previous_secret_expires_at";
