export {
  WebhookVerificationError,
  MissingHeaderError,
  InvalidHeaderError,
  InvalidSignatureError,
  TimestampExpiredError,
  TimestampTooNewError,
  InvalidPayloadError,
  type WebhookVerificationErrorCode,
} from "./errors.js";
export type { HeadersInput, HeadersLike } from "./headers.js";
export { verify, DEFAULT_TOLERANCE_SECONDS, type RawBody, type VerifiedWebhook, type VerifyOptions } from "./verify.js";
export { fallbackKey, DEFAULT_ROUND_TO_SECONDS, type FallbackKeyOptions } from "./fallback-key.js";
export type { Inbox, InboxDelivery, ProcessResult } from "./inbox/types.js";
export { inboxTableSql, DEFAULT_INBOX_TABLE } from "./inbox/table.js";
export { createPgInbox, type PgPool, type PgInboxOptions } from "./inbox/pg.js";
export {
  createPrismaInbox,
  type PrismaClientLike,
  type PrismaInboxOptions,
  type PrismaRawExecutor,
  type PrismaTransactionOptions,
} from "./inbox/prisma.js";
export { createMemoryInbox } from "./inbox/memory.js";
export {
  receive,
  BodyTooLargeError,
  MethodNotAllowedError,
  DEFAULT_MAX_BODY_BYTES,
  type ReceiverOptions,
  type ReceiverResponse,
  type ReceiverErrorContext,
} from "./receive.js";
export { createNodeHandler, readRawBody } from "./adapters/node.js";
export { createFetchHandler, readRequestBody } from "./adapters/fetch.js";
