// An event type's JSON Schema and its example: the schema must be a valid
// JSON Schema (draft-07, or 2020-12 when its `$schema` says so) and the
// example must satisfy it. Ajv does both; a problem is reported with the
// field it concerns ("schema", or the example's member such as "example.amount").
import Ajv from "ajv";
import Ajv2020 from "ajv/dist/2020";
import { ValidationError } from "../platform/errors";

export type JsonSchema = Record<string, unknown>;

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;
const DRAFT_2020 = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/;

function ajvFor(schema: JsonSchema) {
  const declared = schema.$schema;
  // A fresh instance per check: Ajv keeps every schema it compiles, and these are few and operator-written.
  const options = { strict: false, validateFormats: false, logger: false as const, allErrors: false };
  if (declared === undefined || (typeof declared === "string" && DRAFT_07.test(declared))) return new Ajv(options);
  if (typeof declared === "string" && DRAFT_2020.test(declared)) return new Ajv2020(options);
  throw new ValidationError(
    "schema: $schema must be draft-07 (http://json-schema.org/draft-07/schema#) or 2020-12 (https://json-schema.org/draft/2020-12/schema), or be left out for draft-07",
    "schema",
  );
}

/** "/lines/0/amount" as "example.lines.0.amount". */
function exampleField(instancePath: string): string {
  const parts = instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
  return ["example", ...parts].join(".");
}

/**
 * Throws a ValidationError naming the field unless `schema` is a valid JSON
 * Schema that `example` satisfies.
 */
export function checkExampleAgainstSchema(example: unknown, schema: JsonSchema): void {
  const ajv = ajvFor(schema);
  if (!ajv.validateSchema(schema)) {
    const error = ajv.errors?.[0];
    const where = error?.instancePath ? ` at ${error.instancePath}` : "";
    throw new ValidationError(`schema: not a valid JSON Schema${where}: ${error?.message ?? "invalid"}`, "schema");
  }
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    // A $ref that leads nowhere, for one: the meta-schema cannot tell.
    throw new ValidationError(`schema: ${(error as Error).message}`, "schema");
  }
  if (validate(example)) return;
  const error = validate.errors?.[0];
  const field = exampleField(error?.instancePath ?? "");
  throw new ValidationError(`${field}: the example does not match the schema: ${error?.message ?? "invalid"}`, field);
}
