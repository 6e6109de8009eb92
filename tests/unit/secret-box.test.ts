import { describe, expect, it } from "vitest";
import { createSecretBox, generateKeyEntry, parseKeyring, SecretKeyError } from "@/lib/endpoints/secret-box";

describe("secret box", () => {
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  it("seals so that the stored value does not reveal the secret, and opens it again", () => {
    const box = createSecretBox(generateKeyEntry("a"));
    const sealed = box.encrypt(secret);
    expect(sealed).toMatch(/^enc:v1:a:/);
    expect(sealed).not.toContain(secret.slice(6));
    expect(box.encrypt(secret)).not.toBe(sealed);
    expect(box.decrypt(sealed)).toBe(secret);
  });

  it("decrypts with an older key after a new one is put first, and reports what needs resealing", () => {
    const oldKey = generateKeyEntry("old");
    const sealedWithOld = createSecretBox(oldKey).encrypt(secret);
    const rotated = createSecretBox(`${generateKeyEntry("new")},${oldKey}`);
    expect(rotated.decrypt(sealedWithOld)).toBe(secret);
    expect(rotated.isCurrent(sealedWithOld)).toBe(false);
    expect(rotated.isCurrent(rotated.encrypt(secret))).toBe(true);
  });

  it("refuses a tampered value and an unknown key", () => {
    const box = createSecretBox(generateKeyEntry("a"));
    const sealed = box.encrypt(secret);
    const tampered = sealed.slice(0, -6) + (sealed.endsWith("AAAA==") ? "BBBB==" : "AAAA==");
    expect(() => box.decrypt(tampered)).toThrow();
    expect(() => createSecretBox(generateKeyEntry("b")).decrypt(sealed)).toThrow(SecretKeyError);
  });

  it("reads values stored before encryption as they are", () => {
    expect(createSecretBox(generateKeyEntry()).decrypt(secret)).toBe(secret);
  });

  it.each(["", "nokey", "a:short", "bad id!:" + Buffer.alloc(32).toString("base64")])("rejects keyring %j", (value) => {
    expect(() => parseKeyring(value)).toThrow(SecretKeyError);
  });
});
