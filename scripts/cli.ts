// `npm run hookpost -- <command>`: running Hookpost from the shell, without
// the dashboard. Each command is in scripts/cli/, one file per group, and
// calls the use cases the API and the dashboard call, as the caller
// `cli (<OS user>)`; what it queues, the worker sends.
import { isUnavailable } from "../lib/api/unavailable";
import { ConfigError, parseConfig } from "../lib/platform/config";
import { HookpostError, NotFoundError } from "../lib/platform/errors";
import { apiKeyCommands } from "./cli/api-keys";
import { appCommands } from "./cli/apps";
import { CliError, type Command } from "./cli/command";
import { createCliContext } from "./cli/context";
import { deliveryCommands } from "./cli/deliveries";
import { endpointCommands } from "./cli/endpoints";
import { eventCommands } from "./cli/events";
import { secretCommands } from "./cli/secrets";
import { userCommands } from "./cli/users";
import { applyLocalDefaults } from "./env-defaults";
import { loadLocalSecret } from "./local-secrets";

const COMMANDS: Record<string, Command> = {
  ...appCommands,
  ...endpointCommands,
  ...eventCommands,
  ...deliveryCommands,
  ...apiKeyCommands,
  ...userCommands,
  ...secretCommands,
};

function usage(): string {
  const lines = Object.values(COMMANDS).flatMap((command) => [
    `  ${command.usage}`,
    ...command.summary.split("\n").map((line) => `      ${line}`),
  ]);
  return [
    "Usage: npm run hookpost -- <command>",
    "",
    "APP is an app's id or uid. --json prints what a script reads (the API's shapes); otherwise a table.",
    "An error prints one line and exits with 2 (bad input, not found) or 1 (anything else).",
    "",
    "Commands:",
    ...lines,
  ].join("\n");
}

/** The command named by the first one or two words, and the arguments after them. */
function findCommand(args: string[]): { name: string; command: Command; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = args.slice(0, words).join(" ");
    const command = COMMANDS[name];
    if (command && args.length >= words) return { name, command, rest: args.slice(words) };
  }
  return undefined;
}

/** `field: message` of the use case, with the field named as the flag that sets it. */
function flagged(error: HookpostError, command: Command): string {
  const flags = command.flags ?? {};
  if (error instanceof NotFoundError) {
    const what = error.message.replace(/ not found$/, "");
    return flags[what] ? `${flags[what]}: no such ${what}` : error.message;
  }
  const field = error.field;
  const flag = field === undefined ? undefined : (flags[field] ?? flags[field.split(".")[0]!]);
  if (!field || !flag) return error.message;
  const message = error.message.startsWith(`${field}: `) ? error.message.slice(field.length + 2) : error.message;
  return `${flag}: ${field.includes(".") ? `${field}: ` : ""}${message}`;
}

function reason(error: unknown, command: Command | undefined): { message: string; exitCode: number } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof HookpostError) {
    return {
      message: command ? flagged(error, command) : error.message,
      exitCode: error.status < 500 ? 2 : 1,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  // Prisma's messages quote the call site over many lines; the cause is on the last.
  const cause =
    message
      .split("\n")
      .filter((line) => line.trim() !== "")
      .at(-1)
      ?.trim() ?? message;
  return { message: isUnavailable(error) ? `PostgreSQL or Redis is not answering: ${cause}` : cause, exitCode: 1 };
}

async function main(args: string[]): Promise<number> {
  if (args.length === 0 || ["help", "--help", "-h"].includes(args[0]!)) {
    (args.length === 0 ? console.error : console.log)(usage());
    return args.length === 0 ? 2 : 0;
  }
  const found = findCommand(args);
  if (!found) {
    console.error(`hookpost: unknown command "${args.slice(0, 2).join(" ")}" (see: npm run hookpost -- help)`);
    return 2;
  }
  applyLocalDefaults();
  // The keys `npm start` made for this installation, so that a secret the CLI stores is sealed as the web app's are.
  loadLocalSecret("SECRETS_ENCRYPTION_KEYS", "secrets-encryption-keys");
  let cli;
  try {
    cli = createCliContext(parseConfig(process.env));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`hookpost ${found.name}: ${error.message.replace(/\s*\n\s*/g, "; ")}`);
    return 1;
  }
  try {
    await found.command.run(found.rest, cli);
    return 0;
  } catch (error) {
    const { message, exitCode } = reason(error, found.command);
    console.error(`hookpost ${found.name}: ${message.replace(/\s*\n\s*/g, " ")}`);
    return exitCode;
  } finally {
    await cli.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`hookpost: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
