// What every CLI command shares: how it is described, how its flags are
// read, and how it answers (a table for people, JSON with --json) or fails
// (one line naming the flag, a non-zero exit).
import { parseArgs } from "node:util";
import { stringifyWithRaw } from "../../lib/platform/json-source";
import type { CliContext } from "./context";

export interface Command {
  /** How it is called, after `npm run hookpost --`, e.g. `app create --name NAME [--uid UID]`. */
  usage: string;
  /** One line or two for the usage text. */
  summary: string;
  /**
   * The use case's input fields (and what it may find missing) by the flag
   * that sets them, so that an error names the flag: `{ url: "--url" }`.
   */
  flags?: Record<string, string>;
  run(args: string[], cli: CliContext): Promise<void>;
}

/** A refusal of the command line itself: printed as one line, exit 2 unless said otherwise. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * Node's own flag parser, strict: an unknown flag or a flag without its
 * value is refused, naming it. `read` is a parseArgs call, which keeps its
 * types.
 */
export function readFlags<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    const code = (error as { code?: string }).code;
    const flag = /'(-[^' ]+)/.exec((error as Error).message)?.[1];
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new CliError(`unknown flag ${flag ?? ""}`.trim());
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw new CliError(`${flag ?? "a flag"}: needs a value`);
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") throw new CliError((error as Error).message.split("\n")[0]!);
    throw error;
  }
}

/** The flags of a command that takes no more than `positionals` bare arguments, plus `--json`. */
export function flagsOf<const Options extends Record<string, { type: "string" | "boolean" }>>(
  args: string[],
  options: Options,
  positionals: string[] = [],
) {
  const parsed = readFlags(() =>
    parseArgs({ args, options: { ...options, json: { type: "boolean" } }, strict: true, allowPositionals: true }),
  );
  if (parsed.positionals.length > positionals.length) {
    throw new CliError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals.length])}`);
  }
  positionals.forEach((name, index) => {
    if (parsed.positionals[index] === undefined) throw new CliError(`${name}: missing`);
  });
  return {
    values: parsed.values as { [K in keyof Options]?: Options[K]["type"] extends "boolean" ? boolean : string } & {
      json?: boolean;
    },
    positionals: parsed.positionals,
  };
}

/** A required flag's value. */
export function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === "") throw new CliError(`${flag}: missing`);
  return value;
}

/** A comma- or space-separated list flag. */
export function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Columns padded to their widest cell, two spaces apart. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
  return all
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** `value` as JSON for scripts (a payload kept as its own text stays so), or `human` for people. */
export function answer(json: boolean | undefined, value: unknown, human: () => string): void {
  console.log(json ? stringifyWithRaw(value) : human());
}
