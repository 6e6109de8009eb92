// Runs in the browser before the dashboard's own code. zod compiles object
// parsers with `new Function` when it can, probing for it as each object
// schema is built; under the pages' Content-Security-Policy (no
// 'unsafe-eval', server/security-headers.ts) that probe is a reported
// violation. The browser parses only small forms, so zod runs without compiling.
import { z } from "zod";

z.config({ jitless: true });
