// The one shape of every API error, `{"error":{"code","message","field"?}}`:
// written by errorResponse (lib/api/route.ts) and described to clients by
// the OpenAPI document (lib/api/openapi.ts).
import { z } from "zod";
import { ERROR_CODES } from "../platform/errors";

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).meta({ description: "Stable, for programs to branch on" }),
      message: z.string().meta({ description: "For people: what went wrong and, where it helps, what to do" }),
      field: z
        .string()
        .optional()
        .meta({ description: "The request's field at fault, as a dotted path (`eventTypes.0`), when one is" }),
    }),
  })
  .meta({ id: "Error" });

export type ErrorBody = z.output<typeof errorBodySchema>;
