// Inputs of the dashboard's actions. Forms validate with the same schema
// before submitting, and the server action validates again.
import { z } from "zod";

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

export const endpointFormSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: "enter an http(s) URL" }).max(2048),
  description: z.string().trim().max(1024).default(""),
  /** Comma- or space-separated; empty means every event type. */
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

/** A replay the page follows: its range, and when it began (the replay's answer says). */
export const replayProgressSchema = z.intersection(
  replayInputSchema,
  z.object({ since: z.iso.datetime({ offset: true, error: "the time the replay began" }) }),
);
