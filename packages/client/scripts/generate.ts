// Writes src/schema.ts from the API's OpenAPI document.
import { writeFile } from "node:fs/promises";
import { schemaSource } from "./schema-source";

await writeFile(new URL("../src/schema.ts", import.meta.url), await schemaSource());
