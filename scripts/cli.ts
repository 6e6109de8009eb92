// `npm run hookpost -- <command>`: administration from the shell.
//   api-key create <name>   prints the new key alone on the last line
//   user create --email E --password P --role admin|viewer
//   user set-password --email E --password P, user set-role --email E --role R
import { parseArgs } from "node:util";
import type { z } from "zod";
import { createApiKey } from "../lib/api-keys";
import {
  changePassword,
  changePasswordSchema,
  changeRole,
  changeRoleSchema,
  createUser,
  createUserSchema,
} from "../lib/auth/users";
import { parseConfig } from "../lib/config";
import { getDb, type Db } from "../lib/db";
import { resealEndpointSecrets } from "../lib/endpoints";
import { generateKeyEntry } from "../lib/secret-box";
import { ensureLocalSecret } from "./local-secrets";
import { applyLocalDefaults } from "./env-defaults";
import { ensureDatabase, migrate } from "./services";

const USAGE = `Usage: npm run hookpost -- <command>

Commands:
  api-key create <name>   Create an API key for the HTTP API and print it
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
