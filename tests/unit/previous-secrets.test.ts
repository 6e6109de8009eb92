import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  MAX_PREVIOUS_SECRETS,
  livePreviousSecrets,
  readPreviousSecrets,
  retireSecret,
  storePreviousSecrets,
  type PreviousSecret,
} from "@/lib/endpoints/previous-secrets";
import { generateSecret, signatureHeader } from "@/lib/sending/signing";

const HOUR = 3600_000;
const start = new Date("2026-12-05T00:00:00Z");
const at = (hours: number) => new Date(start.getTime() + hours * HOUR);

/** Rotates `current` out at `now` with a 24 h overlap, as rotateEndpointSecret does (secrets unsealed here). */
function rotate(state: { current: string; previous: PreviousSecret[] }, now: Date) {
  const retirement = retireSecret(
    state.previous,
    { secret: state.current, expiresAt: new Date(now.getTime() + 24 * HOUR) },
    now,
  );
  return { state: { current: generateSecret(), previous: retirement.kept }, dropped: retirement.dropped };
}

describe("rotated-out secrets", () => {
  it("sign at most five at once: a rotation past four rotated-out secrets stops the oldest", () => {
    const first = generateSecret();
    let state = { current: first, previous: [] as PreviousSecret[] };
    const dropped: PreviousSecret[][] = [];
    for (let hour = 0; hour < 6; hour++) {
      const rotated = rotate(state, at(hour));
      state = rotated.state;
      dropped.push(rotated.dropped);
    }
    expect(MAX_PREVIOUS_SECRETS).toBe(4);
    expect(state.previous).toHaveLength(4);
    // The fifth rotation dropped the first secret (rotated out at hour 0),
    // the sixth the second; the newest rotated-out secret is first.
    expect(dropped.map((list) => list.length)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(dropped[4]![0]).toEqual({ secret: first, expiresAt: at(24) });
    expect(state.previous.map((entry) => entry.expiresAt)).toEqual([at(29), at(28), at(27), at(26)]);

    const secrets = [state.current, ...livePreviousSecrets(state.previous, at(6)).map((entry) => entry.secret)];
    const body = '{"type":"invoice.paid"}';
    // Signed at the wall clock's time: the verifier refuses old timestamps.
    const signedAt = new Date();
    const header = signatureHeader(secrets, "msg_1", signedAt, body);
    expect(header.split(" ")).toHaveLength(5);
    const headers = {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(Math.floor(signedAt.getTime() / 1000)),
      "webhook-signature": header,
    };
    for (const secret of secrets) expect(() => new Webhook(secret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(first).verify(body, headers)).toThrow();
  });

  it("prunes expired secrets first, so they neither sign nor count toward the limit", () => {
    let state = { current: generateSecret(), previous: [] as PreviousSecret[] };
    for (let hour = 0; hour < 4; hour++) state = rotate(state, at(hour)).state;
    // Two of the four have ended their overlap by hour 25.5 (24 and 25).
    expect(livePreviousSecrets(state.previous, at(25.5))).toHaveLength(2);
    const rotated = rotate(state, at(25.5));
    expect(rotated.dropped).toEqual([]);
    expect(rotated.state.previous.map((entry) => entry.expiresAt)).toEqual([at(49.5), at(27), at(26)]);
  });

  it("reads back what it stores, and refuses a malformed list naming what is wrong", () => {
    const list = [{ secret: "enc:v1:k:iv:sealed", expiresAt: at(24) }];
    expect(readPreviousSecrets(JSON.parse(JSON.stringify(storePreviousSecrets(list))) as never)).toEqual(list);
    expect(readPreviousSecrets([])).toEqual([]);
    expect(() => readPreviousSecrets([{ secret: "x", expiresAt: "tomorrow" }])).toThrow(/expiresAt/);
    expect(() => readPreviousSecrets({ secret: "x" })).toThrow(/previousSecrets/);
  });
});
