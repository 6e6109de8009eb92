// Errors that carry their HTTP meaning, raised by the domain and turned into
// `{"error":{"code","message","field"?}}` by the API layer.

/**
 * Every code an error can carry. The API's description lists them
 * (lib/api/errors.ts), so clients can branch on a code they know of.
 */
export const ERROR_CODES = [
  "malformed_request",
  "unauthorized",
  "unauthenticated",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
  "validation_error",
  "rate_limited",
  "internal_error",
  "unavailable",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class HookpostError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "HookpostError";
  }
}

export class NotFoundError extends HookpostError {
  constructor(what: string) {
    super(404, "not_found", `${what} not found`);
  }
}

export class ValidationError extends HookpostError {
  constructor(message: string, field?: string) {
    super(422, "validation_error", message, field);
  }
}

export class ConflictError extends HookpostError {
  constructor(message: string, field?: string) {
    super(409, "conflict", message, field);
  }
}

/** A dependency (PostgreSQL, Redis) is unreachable: the caller may retry. */
export class UnavailableError extends HookpostError {
  constructor(message: string) {
    super(503, "unavailable", message);
  }
}
