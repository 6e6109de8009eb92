// `user create|set-password|set-role`: dashboard users, each validated with
// the domain's own schema.
import { parseArgs } from "node:util";
import type { z } from "zod";
import { validate } from "../../lib/api/request";
import {
  changePassword,
  changePasswordSchema,
  changeRole,
  changeRoleSchema,
  createUser,
  createUserSchema,
} from "../../lib/auth/users";
import type { Db } from "../../lib/platform/db";
import { ensureDatabase, migrate } from "../services";
import { readFlags, type Command } from "./command";

const USER_FLAGS = { email: "--email", password: "--password", role: "--role" };

function userCommand<Schema extends z.ZodType>(
  usage: string,
  summary: string,
  schema: Schema,
  defaults: Record<string, string>,
  change: (db: Db, input: z.output<Schema>) => Promise<string>,
): Command {
  return {
    usage,
    summary,
    flags: USER_FLAGS,
    async run(args, cli) {
      const { values } = readFlags(() =>
        parseArgs({
          args,
          options: { email: { type: "string" }, password: { type: "string" }, role: { type: "string" } },
          strict: true,
        }),
      );
      const input = validate(schema, { ...defaults, ...values });
      await ensureDatabase(cli.config.DATABASE_URL);
      await migrate(cli.config.DATABASE_URL, { quiet: true });
      console.log(await change(cli.db(), input));
    },
  };
}

export const userCommands: Record<string, Command> = {
  "user create": userCommand(
    "user create --email E --password P [--role admin|viewer]",
    "Add a dashboard user (a viewer, unless admin: viewers cannot change anything)",
    createUserSchema,
    { role: "viewer" },
    async (db, input) => {
      const user = await createUser(db, input);
      return `Created ${user.role} ${user.email}.`;
    },
  ),
  "user set-password": userCommand(
    "user set-password --email E --password P",
    "Change a user's password; their open sessions end at once",
    changePasswordSchema,
    {},
    async (db, input) => {
      await changePassword(db, input);
      return `Changed the password of ${input.email}; their open sessions have ended.`;
    },
  ),
  "user set-role": userCommand(
    "user set-role --email E --role admin|viewer",
    "Change a user's role; their open sessions end at once",
    changeRoleSchema,
    {},
    async (db, input) => {
      await changeRole(db, input);
      return `${input.email} is now ${input.role}; their open sessions have ended.`;
    },
  ),
};
