// The wrapper every /api/v1 route handler goes through: API-key
// authentication, then the handler, then one error format.
//
// Handlers answer with `json(...)`, a JsonReply, which becomes a Fetch API
// Response only for Next.js. The route server/main.ts serves itself writes
// the JSON to Node's response: building a Response and reading it back
// cost that route about 4% of the web process's time.
import { identifyApiKey } from "../auth/api-keys";
import type { ApiKeyCaller } from "../auth/caller";
import { getDb, type Db } from "../platform/db";
import { HookpostError, UnavailableError, type ErrorCode } from "../platform/errors";
import { stringifyWithRaw } from "../platform/json-source";
import { getWebRuntime } from "../platform/web-runtime";
import { currentTraceId } from "../platform/tracing";
import type { ErrorBody } from "./error-body";
import type { ApiRequest } from "./request";
import { isUnavailable } from "./unavailable";

export interface ApiContext<Params> {
  req: ApiRequest;
  params: Params;
  db: Db;
  /** The API key the request was made with. */
  caller: ApiKeyCaller;
}

/** A JSON answer, not yet in any server's response type. */
export class JsonReply {
  constructor(
    /** May hold RawJson, written as its text (lib/platform/json-source.ts). */
    readonly body: unknown,
    readonly status: number,
  ) {}

  text(): string {
    return stringifyWithRaw(this.body);
  }

  toResponse(): Response {
    return new Response(this.text(), { status: this.status, headers: { "content-type": "application/json" } });
  }
}

/** What a handler answers: JSON, or a Response of its own (no body, another content type). */
export type ApiReply = JsonReply | Response;

export function json(body: unknown, status = 200): JsonReply {
  return new JsonReply(body, status);
}

function errorBody(code: ErrorCode, message: string, field?: string): ErrorBody {
  return { error: { code, message, ...(field ? { field } : {}) } };
}

export function errorResponse(error: unknown): JsonReply {
  if (error instanceof HookpostError) return json(errorBody(error.code, error.message, error.field), error.status);
  if (isUnavailable(error)) {
    getWebRuntime().logger.warn({ err: error }, "dependency unavailable");
    return errorResponse(new UnavailableError("a dependency of Hookpost is unavailable; retry shortly"));
  }
  getWebRuntime().logger.error({ err: error }, "unhandled API error");
  return json(errorBody("internal_error", "internal error"), 500);
}

class UnauthorizedError extends HookpostError {
  constructor() {
    super(401, "unauthorized", "a valid API key is required: Authorization: Bearer <api key>");
  }
}

async function authenticate(req: ApiRequest, db: Db): Promise<ApiKeyCaller> {
  const header = req.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  const key = match?.[1] ? await identifyApiKey(db, match[1]) : undefined;
  if (!key) throw new UnauthorizedError();
  return { kind: "apiKey", keyId: key.id, name: key.name };
}

type Handler<Params> = (ctx: ApiContext<Params>) => Promise<ApiReply>;

/** The handler behind authentication, the error format and the request log, answering an ApiReply. */
export function apiHandler<Params = Record<string, never>>(handler: Handler<Params>) {
  return async (req: ApiRequest, segment: { params: Promise<Params> }): Promise<ApiReply> => {
    const started = performance.now();
    let response: ApiReply;
    try {
      const db = getDb();
      const caller = await authenticate(req, db);
      response = await handler({ req, params: await segment.params, db, caller });
    } catch (error) {
      response = errorResponse(error);
    }
    // One line per request; the ids of what it touched are in the domain's own lines.
    getWebRuntime().logger.info(
      {
        method: req.method,
        path: new URL(req.url).pathname,
        status: response.status,
        durationMs: Math.round(performance.now() - started),
        traceId: currentTraceId(),
      },
      "api request",
    );
    return response;
  };
}

/** apiHandler as a Next.js route handler, which must answer a Response. */
export function apiRoute<Params = Record<string, never>>(handler: Handler<Params>) {
  const handle = apiHandler(handler);
  return async (req: ApiRequest, segment: { params: Promise<Params> }): Promise<Response> => {
    const reply = await handle(req, segment);
    return reply instanceof JsonReply ? reply.toResponse() : reply;
  };
}
