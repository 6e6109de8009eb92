// `npm run db:migrate`: create the database if needed and apply migrations.
import { parseConfig } from "../lib/platform/config";
import { applyLocalDefaults } from "./env-defaults";
import { ensureDatabase, migrate } from "./services";

applyLocalDefaults();
const config = parseConfig(process.env);
await ensureDatabase(config.DATABASE_URL);
await migrate(config.DATABASE_URL);
