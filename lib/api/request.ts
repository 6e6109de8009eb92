// Reading API requests: a bounded body, strict JSON, and zod validation
// whose first problem is reported with the field it concerns.
import type { z } from "zod";
import { HookpostError, ValidationError } from "../errors";

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
 * is, since building a Request for every event cost 13% of the web
 * process's CPU (docs/performance.md).
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
 * The first structural problem of parsed JSON: nesting too deep for every
 * later step, or a `__proto__` key, which would turn into prototype
 * pollution in many consumers' JavaScript.
 */
function structuralProblem(value: unknown, path: string[] = []): ValidationError | undefined {
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
    const problem = structuralProblem(child, [...path, key]);
    if (problem) return problem;
  }
  return undefined;
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new MalformedRequestError("request body is not valid UTF-8");
  }
  if (text.trim() === "") throw new MalformedRequestError("request body is empty; send a JSON object");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MalformedRequestError(`request body is not valid JSON: ${(error as Error).message}`);
  }
  // PostgreSQL's jsonb cannot store U+0000.
  if (text.includes("\\u0000")) throw new ValidationError("JSON strings must not contain \\u0000");
  const problem = structuralProblem(value);
  if (problem) throw problem;
  return value;
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
  return validate(schema, parseJson(await readBodyCapped(req)));
}

/** Like readJson, but an absent body counts as `{}` (for optional-input endpoints). */
export async function readOptionalJson<Schema extends z.ZodType>(
  req: ApiRequest,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const bytes = await readBodyCapped(req);
  return validate(schema, bytes.byteLength === 0 ? {} : parseJson(bytes));
}

export function searchParams(req: ApiRequest): Record<string, string> {
  return Object.fromEntries(new URL(req.url).searchParams);
}
