// `npm run hookpost -- <command>`: administration from the shell.
//   api-key create <name>   prints the new key alone on the last line
//   api-key list, api-key revoke <id>
//   user create --email E --password P --role admin|viewer
//   user set-password --email E --password P, user set-role --email E --role R
import { parseArgs } from "node:util";
import type { z } from "zod";
import { API_KEY_TTL_MS, createApiKey, listApiKeys, revokeApiKey, type ApiKeySummary } from "../lib/auth/api-keys";
import {
  changePassword,
  changePasswordSchema,
  changeRole,
  changeRoleSchema,
  createUser,
  createUserSchema,
} from "../lib/auth/users";
import { parseConfig } from "../lib/platform/config";
import { getDb, type Db } from "../lib/platform/db";
import { NotFoundError } from "../lib/platform/errors";
import { createLogger } from "../lib/platform/logger";
import { createCommandConnection } from "../lib/queue/redis";
import { resealEndpointSecrets } from "../lib/endpoints/endpoints";
import { generateKeyEntry } from "../lib/endpoints/secret-box";
import { ensureLocalSecret } from "./local-secrets";
import { applyLocalDefaults } from "./env-defaults";
import { ensureDatabase, migrate } from "./services";

const USAGE = `Usage: npm run hookpost -- <command>

Commands:
  api-key create <name>   Create an API key for the HTTP API and print it
  api-key list            Every key: id, name, created, last used, revoked
                          (never the key itself)
  api-key revoke <id>     Refuse the key from now on, in every web process
  user create --email E --password P --role admin|viewer
                          Add a dashboard user (viewers cannot change anything)
  user set-password --email E --password P
  user set-role --email E --role admin|viewer
                          Change a user; their open sessions end at once
  secrets reseal          Re-encrypt endpoint secrets with the first key of
                          SECRETS_ENCRYPTION_KEYS (after adding a new key)`;

/** The `user` commands: each validates its flags with the domain's own schema. */
const USER_COMMANDS = {
  create: {
    schema: createUserSchema,
    example: "user create --email ops@example.com --password '...' --role admin",
    run: async (db: Db, input: z.output<typeof createUserSchema>) => {
      const user = await createUser(db, input);
      return `Created ${user.role} ${user.email}.`;
    },
  },
  "set-password": {
    schema: changePasswordSchema,
    example: "user set-password --email ops@example.com --password '...'",
    run: async (db: Db, input: z.output<typeof changePasswordSchema>) => {
      await changePassword(db, input);
      return `Changed the password of ${input.email}; their open sessions have ended.`;
    },
  },
  "set-role": {
    schema: changeRoleSchema,
    example: "user set-role --email ops@example.com --role viewer",
    run: async (db: Db, input: z.output<typeof changeRoleSchema>) => {
      await changeRole(db, input);
      return `${input.email} is now ${input.role}; their open sessions have ended.`;
    },
  },
};

async function isRevoked(db: Db, id: string): Promise<boolean> {
  return (await db.apiKey.findUnique({ where: { id }, select: { revokedAt: true } }))?.revokedAt != null;
}

function formatApiKeys(keys: ApiKeySummary[]): string {
  if (keys.length === 0) return "No API keys. Create one with: npm run hookpost -- api-key create <name>";
  const rows = [
    ["ID", "NAME", "CREATED", "LAST USED", "REVOKED"],
    ...keys.map((key) => [
      key.id,
      key.name,
      key.createdAt.toISOString(),
      key.lastUsedAt?.toISOString() ?? "never",
      key.revokedAt?.toISOString() ?? "-",
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

async function main(args: string[]): Promise<number> {
  applyLocalDefaults();
  const config = parseConfig(process.env);
  const [group, action, ...rest] = args;
  if (group === "api-key" && action === "create") {
    const name = rest.join(" ").trim();
    if (!name) {
      console.error("api-key create needs a name, e.g. npm run hookpost -- api-key create backend");
      return 2;
    }
    await ensureDatabase(config.DATABASE_URL);
    await migrate(config.DATABASE_URL, { quiet: true });
    const db = getDb();
    const { id, key } = await createApiKey(db, name);
    await db.$disconnect();
    console.log(`Created API key ${id} (${name}). It is shown only once:`);
    console.log(key);
    return 0;
  }
  // Listing and revoking act on a running installation, whose start has
  // migrated its database; a revocation must not wait for a migration check.
  if (group === "api-key" && action === "list") {
    const db = getDb();
    try {
      console.log(formatApiKeys(await listApiKeys(db)));
    } finally {
      await db.$disconnect();
    }
    return 0;
  }
  if (group === "api-key" && action === "revoke") {
    const [id, ...extra] = rest;
    if (!id || extra.length > 0) {
      console.error(
        "api-key revoke needs one key id (see api-key list), e.g. npm run hookpost -- api-key revoke key_01…",
      );
      return 2;
    }
    const db = getDb();
    const redis = createCommandConnection(config.REDIS_URL, createLogger("cli"));
    try {
      const key = await revokeApiKey(db, redis, config.QUEUE_PREFIX, id);
      console.log(`Revoked API key ${key.id} (${key.name}); every web process refuses it now.`);
    } catch (error) {
      if (error instanceof NotFoundError) {
        console.error(`api-key revoke: id: no API key ${id} (see npm run hookpost -- api-key list)`);
        return 2;
      }
      if (await isRevoked(db, id)) {
        console.error(
          `Revoked API key ${id} in the database, but web processes could not be told (${(error as Error).message}):` +
            ` each refuses it within ${API_KEY_TTL_MS / 1000} s.`,
        );
        return 1;
      }
      throw error;
    } finally {
      redis.disconnect();
      await db.$disconnect();
    }
    return 0;
  }
  if (group === "user" && action !== undefined && action in USER_COMMANDS) {
    const command = USER_COMMANDS[action as keyof typeof USER_COMMANDS];
    const { values } = parseArgs({
      args: rest,
      options: { email: { type: "string" }, password: { type: "string" }, role: { type: "string" } },
    });
    const input = command.schema.safeParse({ role: action === "create" ? "viewer" : undefined, ...values });
    if (!input.success) {
      const issue = input.error.issues[0];
      console.error(`user ${action}: ${issue?.path.join(".") || "input"}: ${issue?.message}`);
      console.error(`e.g. npm run hookpost -- ${command.example}`);
      return 2;
    }
    await ensureDatabase(config.DATABASE_URL);
    await migrate(config.DATABASE_URL, { quiet: true });
    const db = getDb();
    try {
      console.log(await command.run(db, input.data as never));
    } finally {
      await db.$disconnect();
    }
    return 0;
  }
  if (group === "secrets" && action === "reseal") {
    ensureLocalSecret("SECRETS_ENCRYPTION_KEYS", "secrets-encryption-keys", generateKeyEntry);
    await migrate(config.DATABASE_URL, { quiet: true });
    const db = getDb();
    const count = await resealEndpointSecrets(db);
    await db.$disconnect();
    console.log(`Re-encrypted the secrets of ${count} endpoint(s) with the primary key.`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
