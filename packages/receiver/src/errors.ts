// Every way a delivery can fail verification has its own class, so a caller
// can answer 401 for "not from the sender" and 400 for "from the sender but
// unusable" without parsing messages. All of them extend one base class, so
// `error instanceof WebhookVerificationError` is enough to reject a request.

export type WebhookVerificationErrorCode =
  | "missing_header"
  | "invalid_header"
  | "invalid_signature"
  | "timestamp_expired"
  | "timestamp_too_new"
  | "invalid_payload";

export abstract class WebhookVerificationError extends Error {
  abstract readonly code: WebhookVerificationErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class MissingHeaderError extends WebhookVerificationError {
  readonly code = "missing_header";

  constructor(readonly header: string) {
    super(`Missing required header "${header}"`);
  }
}

export class InvalidHeaderError extends WebhookVerificationError {
  readonly code = "invalid_header";

  constructor(
    readonly header: string,
    reason: string,
  ) {
    super(`Invalid header "${header}": ${reason}`);
  }
}

export class InvalidSignatureError extends WebhookVerificationError {
  readonly code = "invalid_signature";

  constructor() {
    super("No signature matches the body with any of the configured secrets");
  }
}

export class TimestampExpiredError extends WebhookVerificationError {
  readonly code = "timestamp_expired";

  constructor(
    readonly timestamp: Date,
    readonly toleranceSeconds: number,
  ) {
    super(`Timestamp ${timestamp.toISOString()} is more than ${toleranceSeconds} s in the past`);
  }
}

export class TimestampTooNewError extends WebhookVerificationError {
  readonly code = "timestamp_too_new";

  constructor(
    readonly timestamp: Date,
    readonly toleranceSeconds: number,
  ) {
    super(`Timestamp ${timestamp.toISOString()} is more than ${toleranceSeconds} s in the future`);
  }
}

/** The signature is valid but the body is not JSON: the sender is genuine, the message is not usable. */
export class InvalidPayloadError extends WebhookVerificationError {
  readonly code = "invalid_payload";

  constructor(cause: unknown) {
    super("The signed body is not valid JSON", { cause });
  }
}
