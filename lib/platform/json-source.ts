// JSON kept as its sender wrote it. Where things are in a request's JSON
// text: the exact source of one top-level member (a payload is stored and
// sent as its producer wrote it), and the field at which a body stops being
// JSON (to name it in a 422); and kept text written back into an answer.
//
// JSON.parse stays the judge of what is valid: it is native and strict
// (RFC 8259), where the JavaScript parsers with offsets are lenient
// somewhere (jsonc-parser takes comments and more whitespace unless told,
// @humanwhocodes/momoa raw control characters in strings) and 5 to 70
// times slower. Node 20's JSON.parse gives no source positions, so the
// valid text is walked once more by memberSource below, which only skips
// over values (strings by indexOf, brackets by a regular expression): 0.8 µs
// for a 1 KiB event, against JSON.parse's 2 µs and jsonc-parser's visitor's
// 9 µs. Invalid text is located with jsonc-parser, where its leniency does
// not matter: it only points at an error JSON.parse found.
import { format, getLocation, parse as parseLenient, type ParseError } from "jsonc-parser";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

function skipWhitespace(text: string, at: number): number {
  let i = at;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** The index after the string starting at `at` (its opening quote). */
function stringEnd(text: string, at: number): number {
  let from = at + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) throw new Error("unterminated string in text that JSON.parse accepted");
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

const CONTAINER_TOKEN = /["{}[\]]/g;
const SCALAR_END = /[\s,\]}]|$/g;

/** The index after the value starting at `at`. */
function valueEnd(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return stringEnd(text, at);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    CONTAINER_TOKEN.lastIndex = at;
    for (;;) {
      const token = CONTAINER_TOKEN.exec(text);
      if (!token) throw new Error("unclosed container in text that JSON.parse accepted");
      const char = token[0];
      if (char === '"') CONTAINER_TOKEN.lastIndex = stringEnd(text, token.index);
      else if (char === "{" || char === "[") depth++;
      else if (--depth === 0) return token.index + 1;
    }
  }
  SCALAR_END.lastIndex = at;
  return SCALAR_END.exec(text)!.index;
}

/**
 * The source text of the top-level object's member `name`, exactly as
 * written; the last one if it appears twice, the one JSON.parse keeps.
 * Only for text JSON.parse has accepted.
 */
export function memberSource(text: string, name: string): string | undefined {
  let at = skipWhitespace(text, 0);
  if (text.charCodeAt(at) !== OPEN_BRACE) return undefined;
  let found: string | undefined;
  at = skipWhitespace(text, at + 1);
  while (text.charCodeAt(at) === QUOTE) {
    const keyEnd = stringEnd(text, at);
    const raw = text.slice(at + 1, keyEnd - 1);
    const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
    // Past the colon.
    const start = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1);
    const end = valueEnd(text, start);
    if (key === name) found = text.slice(start, end);
    at = skipWhitespace(text, end);
    if (text.charCodeAt(at) === COMMA) at = skipWhitespace(text, at + 1);
  }
  return found;
}

/** A path as the API names fields: keys and array indexes joined with dots. */
export function fieldName(path: ReadonlyArray<string | number>): string | undefined {
  return path.length > 0 ? path.join(".") : undefined;
}

/**
 * jsonc-parser recurses once per level: a body nested deeper than the
 * stack (200,000 "[") cannot be located in, and is answered as malformed.
 */
function unlessTooDeep<T>(locate: () => T): T | undefined {
  try {
    return locate();
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** The field at character `offset` of (possibly invalid) JSON text. */
export function fieldAt(text: string, offset: number): string | undefined {
  return unlessTooDeep(() => fieldName(getLocation(text, offset).path));
}

const NUMBERISH = /[-+.\w]/;

/**
 * The field holding a number JSON does not allow (`01`, `1.`, `+1`, `.5`,
 * `NaN`, `Infinity`), in text JSON.parse has refused; undefined when the
 * text's first error is of another kind.
 */
export function invalidNumberField(text: string): string | undefined {
  const errors: ParseError[] = [];
  const parsed = unlessTooDeep(() => {
    parseLenient(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
    return true;
  });
  const first = parsed ? errors[0] : undefined;
  if (!first) return undefined;
  // The whole scalar the error is in: "01" is reported at its "1".
  let start = first.offset;
  while (start > 0 && NUMBERISH.test(text[start - 1]!)) start--;
  let end = first.offset;
  while (end < text.length && NUMBERISH.test(text[end]!)) end++;
  const token = text.slice(start, end);
  const looksNumeric = /^[-+.\d]/.test(token) || /^[-+]?(NaN|Infinity)$/.test(token);
  if (!looksNumeric || isJsonNumber(token)) return undefined;
  return fieldAt(text, start);
}

function isJsonNumber(token: string): boolean {
  return /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(token);
}

/** JSON text to be written into an answer as it is, such as a payload kept as its producer wrote it. */
export class RawJson {
  constructor(readonly text: string) {}
}

/**
 * JSON.stringify, with each RawJson's text in its place. A placeholder
 * string stands for it first: it starts with U+0000, which no string of an
 * answer holds (PostgreSQL's text cannot, and the API refuses it).
 */
export function stringifyWithRaw(value: unknown): string {
  const raw: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) =>
    item instanceof RawJson ? `\u0000${raw.push(item.text) - 1}` : item,
  );
  if (raw.length === 0) return text;
  return text.replace(/"\\u0000(\d+)"/g, (_match, index: string) => raw[Number(index)]!);
}

/**
 * JSON text indented for reading, two spaces a level, each token as it was
 * written (numbers, escapes, key order): jsonc-parser's formatter changes
 * only whitespace. Its edits are applied in one pass here; its own
 * applyEdits copies the text once per edit (20 s for a 200 KB payload).
 */
export function indentJson(text: string): string {
  const edits = format(text, undefined, { tabSize: 2, insertSpaces: true, eol: "\n" });
  edits.sort((a, b) => a.offset - b.offset);
  const parts: string[] = [];
  let at = 0;
  for (const edit of edits) {
    parts.push(text.slice(at, edit.offset), edit.content);
    at = edit.offset + edit.length;
  }
  parts.push(text.slice(at));
  return parts.join("");
}
