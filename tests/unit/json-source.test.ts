import { describe, expect, it } from "vitest";
import { indentJson, invalidNumberField, memberSource, RawJson, stringifyWithRaw } from "@/lib/platform/json-source";

describe("memberSource", () => {
  it.each([
    ["plain", `{"eventType":"a","payload":{"id":12345678901234567890}}`, `{"id":12345678901234567890}`],
    [
      "whitespace kept inside",
      ` {\n "payload" :\t{ "b": 1.10 , "a": [ 1e400 ] } \r\n}`,
      `{ "b": 1.10 , "a": [ 1e400 ] }`,
    ],
    ["before other members", `{"payload":{"z":1},"eventType":"a"}`, `{"z":1}`],
    [
      "escaped quotes and brackets in strings",
      `{"a":"}\\"]","payload":{"s":"\\\\","t":"{[\\"","u":[{}]},"b":1}`,
      `{"s":"\\\\","t":"{[\\"","u":[{}]}`,
    ],
    ["an escaped key", `{"p\\u0061yload":{"x":"\\ud83d\\ude00"}}`, `{"x":"\\ud83d\\ude00"}`],
    ["the last of two, as JSON.parse keeps", `{"payload":{"n":1},"payload":{"n":2}}`, `{"n":2}`],
    ["a scalar", `{"eventType":"a","payload":-1.5e+3}`, `-1.5e+3`],
    ["a scalar last", `{"payload":true}`, `true`],
    ["after an array member", `{"tags":["a","]"],"payload":{}}`, `{}`],
  ])("finds the member's exact text: %s", (_name, text, expected) => {
    JSON.parse(text);
    expect(memberSource(text, "payload")).toBe(expected);
  });

  it("finds nothing in a body without the member or that is not an object", () => {
    expect(memberSource(`{"eventType":"a"}`, "payload")).toBeUndefined();
    expect(memberSource(`[{"payload":1}]`, "payload")).toBeUndefined();
    expect(memberSource(`{"nested":{"payload":1}}`, "payload")).toBeUndefined();
  });

  it("agrees with JSON.parse on generated documents", () => {
    let state = 7;
    const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const value = (depth: number): unknown => {
      const kind = Math.floor(next() * (depth > 3 ? 4 : 6));
      if (kind === 0) return Math.floor(next() * 1e6) / 100;
      if (kind === 1)
        return ['"', "\\", "]}", "é😀", "\n", ""][Math.floor(next() * 6)]!.repeat(1 + Math.floor(next() * 3));
      if (kind === 2) return next() < 0.5 ? null : true;
      if (kind === 3) return [];
      if (kind === 4) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(next() * 4) }, (_, i) => [`k${i}"}`, value(depth + 1)]),
      );
    };
    for (let round = 0; round < 200; round++) {
      const payload = value(0);
      const text = JSON.stringify({ before: value(1), payload, after: value(1) }, null, round % 2 === 0 ? 0 : 2);
      expect(JSON.parse(memberSource(text, "payload")!)).toEqual(payload);
    }
  });
});

describe("invalidNumberField", () => {
  it.each([
    [`{"payload":{"a":01}}`, "payload.a"],
    [`{"payload":{"a":-01}}`, "payload.a"],
    [`{"payload":{"a":1.}}`, "payload.a"],
    [`{"payload":{"a":.5}}`, "payload.a"],
    [`{"payload":{"a":+1}}`, "payload.a"],
    [`{"payload":{"a":1e}}`, "payload.a"],
    [`{"payload":{"a":-}}`, "payload.a"],
    [`{"payload":{"list":[1,NaN]}}`, "payload.list.1"],
    [`{"payload":{"a":Infinity}}`, "payload.a"],
    [`{"payload":{"a":-Infinity}}`, "payload.a"],
    [`{"eventType":"a","payload":{},"eventId":0x10}`, "eventId"],
  ])("names the field of %s", (text, field) => {
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(invalidNumberField(text)).toBe(field);
  });

  it.each([
    `{"payload":{"a":1 "b":2}}`,
    `{"payload":[1 2]}`,
    `{"payload":{"a":tru}}`,
    `{"payload":{"a":1}`,
    `{"a":1,}`,
  ])("leaves other syntax errors alone: %s", (text) => {
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(invalidNumberField(text)).toBeUndefined();
  });
});

describe("stringifyWithRaw", () => {
  it("writes raw JSON text in its place and everything else as JSON.stringify does", () => {
    const raw = `{"zeta":1,"id":12345678901234567890,"n":1.10,"s":"\\u0000\\u0041"}`;
    expect(stringifyWithRaw({ a: "x\u00001", data: new RawJson(raw), list: [new RawJson("1e400")] })).toBe(
      `{"a":"x\\u00001","data":${raw},"list":[1e400]}`,
    );
    expect(stringifyWithRaw({ a: [1, "b"] })).toBe(JSON.stringify({ a: [1, "b"] }));
  });
});

describe("indentJson", () => {
  it("changes only whitespace", () => {
    const text = `{"zeta":1,"alpha":2,"id":12345678901234567890,"amount":1.10,"big":1e400,"s":"\\u00e9 \\"","e":[],"o":{"a":[1]}}`;
    const indented = indentJson(text);
    expect(indented).toBe(
      [
        "{",
        `  "zeta": 1,`,
        `  "alpha": 2,`,
        `  "id": 12345678901234567890,`,
        `  "amount": 1.10,`,
        `  "big": 1e400,`,
        `  "s": "\\u00e9 \\"",`,
        `  "e": [],`,
        `  "o": {`,
        `    "a": [`,
        `      1`,
        `    ]`,
        `  }`,
        "}",
      ].join("\n"),
    );
  });
});

describe("locating in text nested deeper than the stack", () => {
  it("gives up rather than overflowing", () => {
    expect(invalidNumberField("[".repeat(200_000))).toBeUndefined();
  });
});
