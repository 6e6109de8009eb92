// Reading API requests: a bounded body, strict JSON, and zod validation
// whose first problem is reported with the field it concerns.
import type { z } from "zod";
import { HookpostError, ValidationError } from "../platform/errors";
import { fieldAt, fieldName, invalidNumberField, memberSource } from "../platform/json-source";

export const MAX_BODY_BYTES = 256 * 1024;
/** Deeper JSON is refused rather than risking the stack in every later step. */
const MAX_JSON_DEPTH = 64;

export class PayloadTooLargeError extends HookpostError {
  constructor() {
    super(413, "payload_too_large", `request body exceeds ${MAX_BODY_BYTES / 1024} KiB`);
  }
}

export class MalformedRequestError extends HookpostError {
  constructor(message: string) {
    super(400, "malformed_request", message);
  }
}

/**
 * What the API reads of a request. A Fetch API Request is one; the web
 * server's own route (server/create-event.ts) passes Node's request as it
 * is, since building a Request (headers, a body stream, an abort signal)
 * for every event is a large share of the web process's CPU.
 */
export interface ApiRequest {
  method: string;
  /** Absolute: scheme and host included. */
  url: string;
  headers: Pick<Headers, "get">;
  /**
   * Read at most once. Leaving it early (a body over the size cap) must not
   * close the connection: the refusal is still to be sent on it.
   */
  body: AsyncIterable<Uint8Array> | null;
}

async function readBodyCapped(req: ApiRequest): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new PayloadTooLargeError();
  if (!req.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw new PayloadTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The first problem of parsed JSON that no later step should meet: nesting
 * too deep for every later step; a `__proto__` key, which would turn into
 * prototype pollution in many consumers' JavaScript; or a string (key or
 * value) PostgreSQL's text and jsonb cannot hold and many consumers' parsers
 * refuse: a lone surrogate (`"\ud800"`) or U+0000.
 */
function structuralProblem(value: unknown, path: string[] = []): ValidationError | undefined {
  if (typeof value === "string") return stringProblem(value, path);
  if (typeof value !== "object" || value === null) return undefined;
  if (path.length >= MAX_JSON_DEPTH) {
    return new ValidationError(
      `JSON is nested deeper than ${MAX_JSON_DEPTH} levels`,
      path.slice(0, 2).join(".") || undefined,
    );
  }
  for (const [key, child] of Object.entries(value)) {
    if (key === "__proto__")
      return new ValidationError("keys named __proto__ are not accepted", [...path, key].join("."));
    const problem = stringProblem(key, [...path, key]) ?? structuralProblem(child, [...path, key]);
    if (problem) return problem;
  }
  return undefined;
}

function stringProblem(value: string, path: string[]): ValidationError | undefined {
  const field = fieldName(path);
  const prefix = field ? `${field}: ` : "";
  if (!value.isWellFormed()) {
    return new ValidationError(`${prefix}strings must be valid Unicode: a lone surrogate is not`, field);
  }
  if (value.includes("\0")) return new ValidationError(`${prefix}strings must not contain U+0000`, field);
  return undefined;
}

/**
 * Bytes that are not UTF-8 inside a string of otherwise valid JSON (an
 * unescaped lone surrogate is such bytes) are that field's problem; the
 * field is found in the text decoded with replacement characters.
 */
function invalidUtf8(bytes: Uint8Array): HookpostError {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenient = buffer.toString("utf8");
  // Re-encoding gives back every valid sequence: the first byte that differs is the first invalid one.
  const reencoded = Buffer.from(lenient, "utf8");
  let bad = 0;
  while (bad < buffer.length && buffer[bad] === reencoded[bad]) bad++;
  let field: string | undefined;
  try {
    JSON.parse(lenient);
    field = fieldAt(lenient, buffer.subarray(0, bad).toString("utf8").length);
  } catch {
    // Not JSON even so: the body as a whole is malformed.
  }
  const message = "not valid UTF-8 (a lone surrogate or a broken byte sequence)";
  return field
    ? new ValidationError(`${field}: ${message}`, field)
    : new MalformedRequestError(`request body is ${message}`);
}

interface ParsedJson {
  value: unknown;
  /** The body as text, for finding a member's source (lib/platform/json-source.ts). */
  text: string;
}

function parseJson(bytes: Uint8Array): ParsedJson {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw invalidUtf8(bytes);
  }
  if (text.trim() === "") throw new MalformedRequestError("request body is empty; send a JSON object");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const field = invalidNumberField(text);
    if (field) {
      throw new ValidationError(
        `${field}: not a valid JSON number (no leading zeros, '+', NaN or Infinity; digits on both sides of '.')`,
        field,
      );
    }
    throw new MalformedRequestError(`request body is not valid JSON: ${(error as Error).message}`);
  }
  const problem = structuralProblem(value);
  if (problem) throw problem;
  return { value, text };
}

export function validate<Schema extends z.ZodType>(schema: Schema, value: unknown): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join(".") : undefined;
    const message = issue ? (field ? `${field}: ${issue.message}` : issue.message) : "invalid input";
    throw new ValidationError(message, field);
  }
  return result.data;
}

export async function readJson<Schema extends z.ZodType>(req: ApiRequest, schema: Schema): Promise<z.infer<Schema>> {
  return validate(schema, parseJson(await readBodyCapped(req)).value);
}

/**
 * readJson, and the exact source text of the body's top-level member
 * `member` (undefined when absent), for a value that must reach its
 * destination as its sender wrote it.
 */
export async function readJsonKeeping<Schema extends z.ZodType>(
  req: ApiRequest,
  schema: Schema,
  member: string,
): Promise<{ input: z.infer<Schema>; source: string | undefined }> {
  const { value, text } = parseJson(await readBodyCapped(req));
  return { input: validate(schema, value), source: memberSource(text, member) };
}

/** Like readJson, but an absent body counts as `{}` (for optional-input endpoints). */
export async function readOptionalJson<Schema extends z.ZodType>(
  req: ApiRequest,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const bytes = await readBodyCapped(req);
  return validate(schema, bytes.byteLength === 0 ? {} : parseJson(bytes).value);
}

export function searchParams(req: ApiRequest): Record<string, string> {
  return Object.fromEntries(new URL(req.url).searchParams);
}
