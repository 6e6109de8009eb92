// Inputs of the dashboard's actions. Forms validate with the same schema
// before submitting, and the server action validates again.
import { z } from "zod";
import { brandingFields } from "../apps/branding";
import { eventTypeNameSchema } from "../event-types/name";

const id = z.string().min(1).max(100);

const eventTypeList = z
  .string()
  .max(8000)
  .transform((text) =>
    text
      .split(/[\s,]+/)
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().regex(/^[a-zA-Z0-9\-_.]{1,256}$/, "event types may contain letters, digits, '-', '_' and '.'"))
      .max(256),
  );

export const deliveryRefSchema = z.object({ appId: id, deliveryId: id });
export const endpointRefSchema = z.object({ appId: id, endpointId: id });
/** A test event: the generic one, or a type of the app's catalogue sent with its example. */
export const testEventInputSchema = endpointRefSchema.extend({ eventType: z.string().min(1).max(256).optional() });

export const endpointFormSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: "enter an http(s) URL" }).max(2048),
  description: z.string().trim().max(1024).default(""),
  /** Comma- or space-separated (the form joins the catalogue's ticked boxes and any others typed); empty means every event type. */
  eventTypes: eventTypeList.default([]),
});

export const createEndpointInputSchema = endpointFormSchema.extend({ appId: id });
export const editEndpointInputSchema = endpointFormSchema.extend({ appId: id, endpointId: id });
export const setEndpointEnabledSchema = endpointRefSchema.extend({ enabled: z.boolean() });

export const replayFormSchema = z
  .object({
    from: z.iso.datetime({ offset: true, error: "choose when the range starts" }),
    to: z.iso.datetime({ offset: true, error: "choose when the range ends" }),
    eventTypes: eventTypeList.default([]),
  })
  .refine((value) => new Date(value.from) < new Date(value.to), {
    message: "the range must end after it starts",
    path: ["to"],
  });

export const replayInputSchema = z.intersection(endpointRefSchema, replayFormSchema);

export type ReplayInput = z.infer<typeof replayInputSchema>;

const jsonObjectText = (field: string, what: string) =>
  z
    .string()
    .trim()
    .max(64 * 1024)
    .refine((text) => {
      try {
        const value: unknown = JSON.parse(text);
        return typeof value === "object" && value !== null && !Array.isArray(value);
      } catch {
        return false;
      }
    }, `${field} must be ${what}`);

/** The catalogue's form: the example and schema as JSON text; the server checks the example against the schema. */
export const eventTypeFormSchema = z.object({
  name: eventTypeNameSchema,
  description: z.string().trim().max(1024).default(""),
  example: jsonObjectText("example", 'a JSON object, such as {"invoice": 42}'),
  /** Empty: no schema. */
  schema: z.union([z.literal(""), jsonObjectText("schema", "a JSON Schema object, or empty for none")]).default(""),
});

export const eventTypeRefSchema = z.object({ appId: id, name: z.string().min(1).max(256) });
export const declareEventTypeInputSchema = eventTypeFormSchema.extend({ appId: id });
export const editEventTypeInputSchema = eventTypeFormSchema.omit({ name: true }).extend(eventTypeRefSchema.shape);
export const setEventTypeArchivedSchema = eventTypeRefSchema.extend({ archived: z.boolean() });

/** An empty field clears the setting. */
const optionalText = z
  .string()
  .trim()
  .transform((text) => (text === "" ? null : text));

/** The app settings form: its name and the portal's branding, each empty to clear it; the rules are the API's. */
export const appSettingsFormSchema = z.object({
  name: z.string().trim().min(1, "name must not be empty").max(256),
  displayName: optionalText.pipe(brandingFields.displayName),
  logoUrl: optionalText.pipe(brandingFields.logoUrl),
  accentColor: optionalText.pipe(brandingFields.accentColor),
});

export const appSettingsInputSchema = appSettingsFormSchema.extend({ appId: id });

/** A replay the page follows: its range, and when it began (the replay's answer says). */
export const replayProgressSchema = z.intersection(
  replayInputSchema,
  z.object({ since: z.iso.datetime({ offset: true, error: "the time the replay began" }) }),
);
