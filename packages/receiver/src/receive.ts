import { InvalidPayloadError, WebhookVerificationError } from "./errors.js";
import { peekHeader, signatureHeaderNames, type HeadersInput } from "./headers.js";
import type { Inbox, ProcessResult } from "./inbox/types.js";
import { normalizeSecrets } from "./secrets.js";
import { verify, type RawBody, type VerifiedWebhook, type VerifyOptions } from "./verify.js";

export interface ReceiverErrorContext {
  /**
   * The status answered: 400/401 for a rejected delivery, 405 for a method
   * other than POST, 413 for an oversized body, 500 for a failed handler.
   */
  status: number;
  /** The `webhook-id` (or `svix-id`) header when there was one; unverified for 400/401. */
  webhookId?: string;
}

export interface ReceiverOptions<Tx> {
  /** One secret, several during a rotation, or a comma-separated list. */
  secrets: string | readonly string[];
  inbox: Inbox<Tx>;
  /** Runs once per event id; throwing makes the sender retry later. */
  handle: (event: VerifiedWebhook, tx: Tx) => Promise<void>;
  /** Hears about a verified copy of an event that was already processed; answered 204 without running `handle`. */
  onDuplicate?: (event: VerifiedWebhook) => void;
  verifyOptions?: VerifyOptions;
  /** Largest body read, in bytes; default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Hears about every request that is not answered 2xx. The default writes
   * to console.error: a wrong secret shows up as a stream of 401s, and a
   * failing handler as 500s, and both need someone to look.
   */
  onError?: (error: unknown, context: ReceiverErrorContext) => void;
}

export interface ReceiverResponse {
  status: number;
  /** JSON for rejections, so the sender's delivery log says why. */
  body?: string;
  /** Headers besides `content-type`, such as `allow` on a 405. */
  headers?: Readonly<Record<string, string>>;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function defaultOnError(error: unknown, context: ReceiverErrorContext): void {
  console.error(`webhook ${context.webhookId ?? "(no id)"} answered ${context.status}:`, error);
}

/** Checks the options once, at startup, so a bad secret fails the boot rather than every request. */
export function checkReceiverOptions<Tx>(options: ReceiverOptions<Tx>): void {
  normalizeSecrets(options.secrets);
}

/**
 * Verify, then run the handler through the inbox, and decide the answer:
 * 204 for a processed event and for a duplicate (the sender must stop
 * retrying either way), 401 when the sender cannot be trusted, 400 when a
 * genuine sender sent something unusable, 500 when the handler failed and a
 * retry should run it again.
 */
export async function receive<Tx>(
  rawBody: RawBody,
  headers: HeadersInput,
  options: ReceiverOptions<Tx>,
): Promise<ReceiverResponse> {
  const onError = options.onError ?? defaultOnError;
  let event: VerifiedWebhook;
  try {
    event = verify(rawBody, headers, options.secrets, options.verifyOptions);
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    const status = error instanceof InvalidPayloadError ? 400 : 401;
    const webhookId = peekHeader(headers, signatureHeaderNames(headers).id);
    onError(error, webhookId === undefined ? { status } : { status, webhookId });
    return { status, body: JSON.stringify({ error: error.code, message: error.message }) };
  }

  let result: ProcessResult<void>;
  try {
    result = await options.inbox.process(event, (tx) => options.handle(event, tx));
  } catch (error) {
    onError(error, { status: 500, webhookId: event.id });
    // The handler's error stays in the receiver's logs: it may name tables or data.
    return { status: 500, body: JSON.stringify({ error: "handler_failed" }) };
  }
  if (result.status === "duplicate") options.onDuplicate?.(event);
  return { status: 204 };
}

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`Request body exceeds ${limitBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
}

export function tooLargeResponse(
  error: BodyTooLargeError,
  onError: ReceiverOptions<unknown>["onError"] = defaultOnError,
): ReceiverResponse {
  onError(error, { status: 413 });
  return { status: 413, body: JSON.stringify({ error: "body_too_large", message: error.message }) };
}

/** Webhooks are delivered with POST; anything else is a probe or a misrouted request. */
export class MethodNotAllowedError extends Error {
  constructor(readonly method: string | undefined) {
    super(`Method ${method ?? "(none)"} is not allowed: webhooks are delivered with POST`);
    this.name = "MethodNotAllowedError";
  }
}

export function methodNotAllowedResponse(
  method: string | undefined,
  onError: ReceiverOptions<unknown>["onError"] = defaultOnError,
): ReceiverResponse {
  onError(new MethodNotAllowedError(method), { status: 405 });
  return { status: 405, headers: { allow: "POST" } };
}
