// What the client throws: the API's own errors, typed by their code, and a
// request that never got an answer even after its retries.
import type { components } from "./schema.js";

type ErrorBody = components["schemas"]["Error"];

/** Every code the API's errors carry (its OpenAPI document lists them). */
export type HookpostErrorCode = ErrorBody["error"]["code"];

/** The API answered with an error: `code` says which, `field` names the request's field at fault. */
export class HookpostError extends Error {
  readonly status: number;
  readonly code: HookpostErrorCode;
  readonly field: string | undefined;

  constructor(status: number, body: ErrorBody) {
    super(body.error.message);
    this.name = "HookpostError";
    this.status = status;
    this.code = body.error.code;
    this.field = body.error.field;
  }
}

/** No answer could be had (connection refused or dropped, timeout), after every retry. */
export class HookpostConnectionError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = "HookpostConnectionError";
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  const error = (value as { error?: unknown } | null)?.error as { code?: unknown; message?: unknown } | undefined;
  return typeof error?.code === "string" && typeof error.message === "string";
}
