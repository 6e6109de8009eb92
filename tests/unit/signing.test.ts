import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { generateSecret, isValidSecret, signatureHeader } from "@/lib/sending/signing";

describe("signing", () => {
  it("generates whsec_ secrets of 32 random bytes", () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    expect(generateSecret()).not.toBe(secret);
    expect(isValidSecret(secret)).toBe(true);
  });

  it("rejects secrets without the prefix, with bad base64 or too short", () => {
    expect(isValidSecret("secret")).toBe(false);
    expect(isValidSecret("whsec_!!!!")).toBe(false);
    expect(isValidSecret(`whsec_${Buffer.alloc(8).toString("base64")}`)).toBe(false);
  });

  it("matches the Standard Webhooks reference vector", () => {
    const header = signatureHeader(
      ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      new Date(1614265330 * 1000),
      '{"test": 2432232314}',
    );
    expect(header).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("signs with every secret during a rotation, each verifying on its own", () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const now = new Date();
    const body = JSON.stringify({ type: "a", data: {} });
    const header = signatureHeader([current, previous], "msg_1", now, body);
    expect(header.split(" ")).toHaveLength(2);
    const headers = {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": header,
    };
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
  });
});
