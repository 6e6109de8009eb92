import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  InvalidHeaderError,
  InvalidPayloadError,
  InvalidSignatureError,
  MissingHeaderError,
  TimestampExpiredError,
  TimestampTooNewError,
  WebhookVerificationError,
  verify,
} from "../src/index.js";

// The vector from the Standard Webhooks reference implementations.
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: "1614265330",
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const VECTOR_NOW = new Date(1614265330 * 1000);

function vectorHeaders(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    "webhook-id": VECTOR.id,
    "webhook-timestamp": VECTOR.timestamp,
    "webhook-signature": VECTOR.signature,
    ...overrides,
  };
}

function newSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** Signs like a real sender, with the reference library rather than our own code. */
function signed(secret: string, body: string, at = new Date(), id = `msg_${randomBytes(8).toString("hex")}`) {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = new Webhook(secret).sign(id, at, body);
  return { id, body, headers: { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature } };
}

afterEach(() => {
  vi.restoreAllMocks();
});

function verificationError(run: () => unknown): WebhookVerificationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return error as WebhookVerificationError;
  }
  throw new Error("expected verification to fail");
}

describe("verify: Standard Webhooks vectors", () => {
  it("accepts the reference vector", () => {
    const event = verify(VECTOR.body, vectorHeaders(), VECTOR.secret, { now: VECTOR_NOW });
    expect(event).toEqual({ id: VECTOR.id, timestamp: VECTOR_NOW, payload: { test: 2432232314 } });
  });

  it("accepts the vector's secret without the whsec_ prefix", () => {
    const bare = VECTOR.secret.slice("whsec_".length);
    expect(verify(VECTOR.body, vectorHeaders(), bare, { now: VECTOR_NOW }).id).toBe(VECTOR.id);
  });

  it("accepts a header listing several signatures and versions when one v1 matches", () => {
    const signatures = `v1a,${VECTOR.signature.slice(3)} v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ${VECTOR.signature} v2,abc=`;
    const event = verify(VECTOR.body, vectorHeaders({ "webhook-signature": signatures }), VECTOR.secret, {
      now: VECTOR_NOW,
    });
    expect(event.id).toBe(VECTOR.id);
  });

  it.each([
    ["a tampered body", { body: '{"test": 2432232315}' }],
    ["a different id", { headers: { "webhook-id": "msg_other" } }],
    ["a partial signature", { headers: { "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJ" } }],
    ["an empty signature", { headers: { "webhook-signature": "v1," } }],
    ["a version without signature", { headers: { "webhook-signature": "v1" } }],
    ["the right digest under another version", { headers: { "webhook-signature": `v2,${VECTOR.signature.slice(3)}` } }],
    ["stray characters after the signature", { headers: { "webhook-signature": `${VECTOR.signature}!!` } }],
  ])("rejects %s as a bad signature", (_, change: { body?: string; headers?: Record<string, string> }) => {
    const error = verificationError(() =>
      verify(change.body ?? VECTOR.body, vectorHeaders(change.headers), VECTOR.secret, { now: VECTOR_NOW }),
    );
    expect(error).toBeInstanceOf(InvalidSignatureError);
    expect(error.code).toBe("invalid_signature");
  });

  it("rejects the vector with another secret", () => {
    expect(() => verify(VECTOR.body, vectorHeaders(), newSecret(), { now: VECTOR_NOW })).toThrow(InvalidSignatureError);
  });
});

describe("verify: deliveries signed by the standardwebhooks package", () => {
  it("accepts them and returns id, timestamp and payload", () => {
    const secret = newSecret();
    const at = new Date();
    const delivery = signed(secret, JSON.stringify({ type: "order.created", data: { id: 7 } }), at);
    const event = verify(delivery.body, delivery.headers, secret);
    expect(event.id).toBe(delivery.id);
    expect(event.timestamp.getTime()).toBe(Math.floor(at.getTime() / 1000) * 1000);
    expect(event.payload).toEqual({ type: "order.created", data: { id: 7 } });
  });

  it("verifies the same bytes given as a Buffer, a Uint8Array view or an ArrayBuffer", () => {
    const secret = newSecret();
    const delivery = signed(secret, JSON.stringify({ note: "héllo ✓" }));
    const bytes = Buffer.from(delivery.body);
    const padded = Buffer.concat([Buffer.from("xx"), bytes, Buffer.from("yy")]);
    const view = new Uint8Array(padded.buffer, padded.byteOffset + 2, bytes.length);
    const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    for (const body of [bytes, view, arrayBuffer]) {
      expect(verify(body, delivery.headers, secret).payload).toEqual({ note: "héllo ✓" });
    }
  });

  it("rejects a tampered body", () => {
    const secret = newSecret();
    const delivery = signed(secret, JSON.stringify({ amount: 100 }));
    expect(() => verify(JSON.stringify({ amount: 1000 }), delivery.headers, secret)).toThrow(InvalidSignatureError);
  });

  it("rejects a re-serialized body, which is why the raw bytes are needed", () => {
    const secret = newSecret();
    const delivery = signed(secret, '{"amount": 100}');
    const reparsed = JSON.stringify(JSON.parse(delivery.body));
    expect(() => verify(reparsed, delivery.headers, secret)).toThrow(InvalidSignatureError);
  });

  it("accepts either secret during a rotation, and a header signed with both", () => {
    const [oldSecret, newSecretValue] = [newSecret(), newSecret()];
    const body = JSON.stringify({ rotated: true });
    const at = new Date();
    const byOld = signed(oldSecret, body, at, "msg_rotation");
    const byNew = signed(newSecretValue, body, at, "msg_rotation");
    const both = {
      ...byNew.headers,
      "webhook-signature": `${byOld.headers["webhook-signature"]} ${byNew.headers["webhook-signature"]}`,
    };

    for (const headers of [byOld.headers, byNew.headers, both]) {
      expect(verify(body, headers, [oldSecret, newSecretValue]).id).toBe("msg_rotation");
      expect(verify(body, headers, `${newSecretValue}, ${oldSecret}`).id).toBe("msg_rotation");
    }
    expect(() => verify(body, byOld.headers, [newSecretValue])).toThrow(InvalidSignatureError);
  });

  it("rejects a timestamp older than the tolerance as expired, and one too far ahead as too new", () => {
    const secret = newSecret();
    const now = new Date();
    const old = signed(secret, "{}", new Date(now.getTime() - 6 * 60 * 1000));
    const future = signed(secret, "{}", new Date(now.getTime() + 6 * 60 * 1000));

    const expired = verificationError(() => verify(old.body, old.headers, secret, { now }));
    expect(expired).toBeInstanceOf(TimestampExpiredError);
    expect(expired.code).toBe("timestamp_expired");
    expect(verificationError(() => verify(future.body, future.headers, secret, { now }))).toBeInstanceOf(
      TimestampTooNewError,
    );
    expect(verify(old.body, old.headers, secret, { now, toleranceSeconds: 10 * 60 }).id).toBe(old.id);
  });

  it.each([
    // [seconds after the send time on the receiver's clock, outcome]
    [300, "accepted"],
    [300.001, "accepted"],
    [300.5, "accepted"],
    [300.999, "accepted"],
    [301, "expired"],
    [301.001, "expired"],
    [-299.999, "accepted"],
    [-300, "accepted"],
    [-300.001, "too new"],
    [-300.999, "too new"],
    [-301, "too new"],
  ] as const)("at %s s after the send time, in whole seconds as the peers count: %s", (offset, outcome) => {
    const secret = newSecret();
    const sentAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const delivery = signed(secret, "{}", sentAt);
    const now = new Date(sentAt.getTime() + offset * 1000);
    const run = () => verify(delivery.body, delivery.headers, secret, { now });
    if (outcome === "accepted") expect(run().id).toBe(delivery.id);
    else expect(run).toThrow(outcome === "expired" ? TimestampExpiredError : TimestampTooNewError);

    // The standardwebhooks package reads the clock itself.
    vi.spyOn(Date, "now").mockReturnValue(now.getTime());
    const reference = () => new Webhook(secret).verify(delivery.body, delivery.headers);
    if (outcome === "accepted") expect(reference()).toEqual({});
    else expect(reference).toThrow(outcome === "expired" ? "too old" : "too new");
  });

  it.each(["webhook-id", "webhook-timestamp", "webhook-signature"])("rejects a delivery without %s", (header) => {
    const secret = newSecret();
    const delivery = signed(secret, "{}");
    const headers: Record<string, string> = { ...delivery.headers };
    delete headers[header];
    const error = verificationError(() => verify(delivery.body, headers, secret));
    expect(error).toBeInstanceOf(MissingHeaderError);
    expect((error as MissingHeaderError).header).toBe(header);
  });

  it.each(["", "soon", "1614265330.5", "-1614265330", " 1614265330"])(
    "rejects the timestamp %j as malformed",
    (value) => {
      const secret = newSecret();
      const delivery = signed(secret, "{}");
      const headers = { ...delivery.headers, "webhook-timestamp": value };
      const error = verificationError(() => verify(delivery.body, headers, secret));
      expect(error).toBeInstanceOf(value === "" ? MissingHeaderError : InvalidHeaderError);
    },
  );

  it("reports a genuine but non-JSON body as an invalid payload", () => {
    const secret = newSecret();
    const delivery = signed(secret, "not json");
    const error = verificationError(() => verify(delivery.body, delivery.headers, secret));
    expect(error).toBeInstanceOf(InvalidPayloadError);
    expect(error.code).toBe("invalid_payload");
  });
});

describe("verify: svix-* headers, as Svix-powered senders send them", () => {
  /** A delivery signed by the standardwebhooks package, its headers named as Svix names them. */
  function svixSigned(secret: string, body: string, at = new Date()) {
    const delivery = signed(secret, body, at);
    const { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature } = delivery.headers;
    return { ...delivery, headers: { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": signature } };
  }

  it("accepts them as a plain object, a Fetch Headers object and Node's IncomingHttpHeaders", () => {
    const secret = newSecret();
    const delivery = svixSigned(secret, JSON.stringify({ type: "user.created" }));
    const { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": signature } = delivery.headers;
    const shapes = [
      delivery.headers,
      { "Svix-Id": id, "Svix-Timestamp": timestamp, "Svix-Signature": signature },
      new Headers(delivery.headers),
      { host: "localhost", "svix-id": id, "svix-timestamp": [timestamp], "svix-signature": ["v1,bm9wZQ==", signature] },
    ];
    for (const headers of shapes) {
      const event = verify(delivery.body, headers, secret);
      expect(event).toEqual({ id, timestamp: new Date(Number(timestamp) * 1000), payload: { type: "user.created" } });
    }
  });

  it("accepts a delivery carrying both families", () => {
    const secret = newSecret();
    const delivery = signed(secret, "{}");
    const both = { ...delivery.headers, ...svixSigned(secret, "{}").headers };
    expect(verify(delivery.body, both, secret).id).toBe(delivery.id);
  });

  it("takes the webhook-* family when both are complete", () => {
    const secret = newSecret();
    const standard = signed(secret, "{}", new Date(), "msg_standard");
    const svix = svixSigned(secret, "{}");
    expect(verify("{}", { ...svix.headers, ...standard.headers }, secret).id).toBe("msg_standard");
    // The webhook-* signature alone decides: a valid svix-* one does not rescue a bad one.
    const tampered = { ...svix.headers, ...standard.headers, "webhook-signature": "v1,bm9wZQ==" };
    expect(() => verify("{}", tampered, secret)).toThrow(InvalidSignatureError);
  });

  it("rejects a tampered body and a stale timestamp as with webhook-* headers", () => {
    const secret = newSecret();
    const delivery = svixSigned(secret, '{"amount":1}');
    expect(() => verify('{"amount":100}', delivery.headers, secret)).toThrow(InvalidSignatureError);
    const old = svixSigned(secret, "{}", new Date(Date.now() - 6 * 60 * 1000));
    expect(() => verify(old.body, old.headers, secret)).toThrow(TimestampExpiredError);
  });

  it.each(["svix-id", "svix-timestamp", "svix-signature"])("names %s when it is the one missing", (header) => {
    const secret = newSecret();
    const delivery = svixSigned(secret, "{}");
    const headers: Record<string, string> = { ...delivery.headers };
    delete headers[header];
    const error = verificationError(() => verify(delivery.body, headers, secret));
    expect(error).toBeInstanceOf(MissingHeaderError);
    expect((error as MissingHeaderError).header).toBe(header);
  });

  it("names svix-timestamp when it is malformed", () => {
    const secret = newSecret();
    const delivery = svixSigned(secret, "{}");
    const error = verificationError(() =>
      verify(delivery.body, { ...delivery.headers, "svix-timestamp": "soon" }, secret),
    );
    expect(error).toBeInstanceOf(InvalidHeaderError);
    expect((error as InvalidHeaderError).header).toBe("svix-timestamp");
  });

  it("does not mix the families, and names webhook-id when no header is there", () => {
    const secret = newSecret();
    const delivery = signed(secret, "{}");
    const mixed = {
      "webhook-id": delivery.id,
      "svix-timestamp": delivery.headers["webhook-timestamp"],
      "svix-signature": delivery.headers["webhook-signature"],
    };
    const error = verificationError(() => verify(delivery.body, mixed, secret));
    expect((error as MissingHeaderError).header).toBe("webhook-timestamp");
    expect((verificationError(() => verify("{}", {}, secret)) as MissingHeaderError).header).toBe("webhook-id");
  });
});

describe("verify: header shapes", () => {
  const secret = newSecret();
  const delivery = signed(secret, '{"shape":true}');
  const { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature } = delivery.headers;

  it("reads a plain object in any letter case", () => {
    const headers = { "Webhook-Id": id, "WEBHOOK-TIMESTAMP": timestamp, "webhook-Signature": signature };
    expect(verify(delivery.body, headers, secret).id).toBe(id);
  });

  it("reads a Fetch Headers object", () => {
    const headers = new Headers({ "Webhook-Id": id, "Webhook-Timestamp": timestamp, "Webhook-Signature": signature });
    expect(verify(delivery.body, headers, secret).id).toBe(id);
  });

  it("reads a repeated signature header from a Fetch Headers object", () => {
    const headers = new Headers({ "webhook-id": id, "webhook-timestamp": timestamp });
    headers.append("webhook-signature", "v1,bm9wZQ==");
    headers.append("webhook-signature", signature);
    expect(verify(delivery.body, headers, secret).id).toBe(id);
  });

  it("reads Node's IncomingHttpHeaders, including array values", () => {
    const headers = {
      host: "localhost",
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": [timestamp],
      "webhook-signature": ["v1,bm9wZQ==", signature],
      "set-cookie": undefined,
    };
    expect(verify(delivery.body, headers, secret).id).toBe(id);
  });

  it("refuses two different webhook-id values", () => {
    const headers = { ...delivery.headers, "webhook-id": [id, "msg_other"] };
    expect(() => verify(delivery.body, headers, secret)).toThrow(InvalidHeaderError);
  });
});

describe("verify: configuration", () => {
  it.each([[[]], [""], [" , "], ["whsec_not base64!"], ["whsec_"]])(
    "throws a TypeError for the secrets %j",
    (secrets) => {
      expect(() => verify(VECTOR.body, vectorHeaders(), secrets, { now: VECTOR_NOW })).toThrow(TypeError);
    },
  );
});
