-- An event payload is kept as the JSON text its producer sent, so that it
-- reaches consumers byte for byte: jsonb reorders keys, keeps one of each
-- repeated key and rewrites numbers (1E5 as 100000). Rows stored before
-- keep their data in the text jsonb writes for it (a space after each
-- colon and comma), which is valid JSON holding the same values.

-- AlterTable
ALTER TABLE "events" ALTER COLUMN "payload" SET DATA TYPE TEXT USING "payload"::text;
