// `api-key create|list|revoke`: keys for the HTTP API.
import { API_KEY_TTL_MS, createApiKey, listApiKeys, revokeApiKey } from "../../lib/auth/api-keys";
import type { Db } from "../../lib/platform/db";
import { NotFoundError } from "../../lib/platform/errors";
import { createLogger } from "../../lib/platform/logger";
import { createCommandConnection } from "../../lib/queue/redis";
import { ensureDatabase, migrate } from "../services";
import { answer, CliError, flagsOf, table, type Command } from "./command";

async function isRevoked(db: Db, id: string): Promise<boolean> {
  return (await db.apiKey.findUnique({ where: { id }, select: { revokedAt: true } }))?.revokedAt != null;
}

export const apiKeyCommands: Record<string, Command> = {
  "api-key create": {
    usage: "api-key create <name>",
    summary: "Create an API key for the HTTP API and print it, alone on the last line",
    async run(args, cli) {
      const name = args.join(" ").trim();
      if (!name) throw new CliError("<name>: missing, e.g. npm run hookpost -- api-key create backend");
      await ensureDatabase(cli.config.DATABASE_URL);
      await migrate(cli.config.DATABASE_URL, { quiet: true });
      const { id, key } = await createApiKey(cli.db(), name);
      console.log(`Created API key ${id} (${name}). It is shown only once:`);
      console.log(key);
    },
  },
  // Listing and revoking act on a running installation, whose start has
  // migrated its database; a revocation must not wait for a migration check.
  "api-key list": {
    usage: "api-key list [--json]",
    summary: "Every key: id, name, created, last used, revoked (never the key itself)",
    async run(args, cli) {
      const { values } = flagsOf(args, {});
      const keys = await listApiKeys(cli.db());
      answer(values.json, keys, () =>
        keys.length === 0
          ? "No API keys. Create one with: npm run hookpost -- api-key create <name>"
          : table(
              ["ID", "NAME", "CREATED", "LAST USED", "REVOKED"],
              keys.map((key) => [
                key.id,
                key.name,
                key.createdAt.toISOString(),
                key.lastUsedAt?.toISOString() ?? "never",
                key.revokedAt?.toISOString() ?? "-",
              ]),
            ),
      );
    },
  },
  "api-key revoke": {
    usage: "api-key revoke <id>",
    summary: "Refuse the key from now on, in every web process",
    async run(args, cli) {
      const { positionals } = flagsOf(args, {}, ["<id>"]);
      const id = positionals[0]!;
      const db = cli.db();
      const redis = createCommandConnection(cli.config.REDIS_URL, createLogger("cli"));
      try {
        const key = await revokeApiKey(db, redis, cli.config.QUEUE_PREFIX, id);
        console.log(`Revoked API key ${key.id} (${key.name}); every web process refuses it now.`);
      } catch (error) {
        if (error instanceof NotFoundError) {
          throw new CliError(`<id>: no API key ${id} (see npm run hookpost -- api-key list)`);
        }
        if (await isRevoked(db, id)) {
          throw new CliError(
            `revoked API key ${id} in the database, but web processes could not be told (${(error as Error).message}):` +
              ` each refuses it within ${API_KEY_TTL_MS / 1000} s`,
            1,
          );
        }
        throw error;
      } finally {
        redis.disconnect();
      }
    },
  },
};
