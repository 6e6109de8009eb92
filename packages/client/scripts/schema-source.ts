// The client's types, generated from the API's OpenAPI document as the app
// makes it (lib/api/openapi.ts). `npm run generate` writes them to
// src/schema.ts; tests/schema.test.ts fails when that file is not what the
// document generates now.
import openapiTS, { astToString } from "openapi-typescript";
import { openApiDocument } from "../../../lib/api/openapi";

const HEADER = `// Generated from Hookpost's OpenAPI document by openapi-typescript: do not edit.
// Regenerate with \`npm run generate\` in packages/client.
`;

export async function schemaSource(): Promise<string> {
  // A property with a default may be left out of a request: it is optional in the types too.
  const ast = await openapiTS(openApiDocument() as Parameters<typeof openapiTS>[0], { defaultNonNullable: false });
  return HEADER + astToString(ast);
}
