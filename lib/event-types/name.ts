// An event type's name, the same characters an endpoint's subscription
// accepts, so that every catalogue type can be subscribed to. Pure, for
// the forms in the browser too.
import { z } from "zod";

export const eventTypeNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9\-_.]{1,256}$/, "name must be like invoice.paid: letters, digits, '-', '_' and '.' (at most 256)");
