// Runs once before the suite: the services must be up and the app built.
import { existsSync } from "node:fs";
import { checkRedis, ensureDatabase } from "../../scripts/services";
import { POSTGRES_URL, REDIS_URL } from "./services";

export default async function setup(): Promise<void> {
  await ensureDatabase(POSTGRES_URL);
  await checkRedis(REDIS_URL);
  if (!existsSync(".next/BUILD_ID")) {
    throw new Error("The web app is not built: run the suite with `npm test`, which builds it first.");
  }
}
