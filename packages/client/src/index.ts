export {
  Hookpost,
  type App,
  type Attempt,
  type CreateApp,
  type CreateEndpoint,
  type CreateEvent,
  type Delivery,
  type Endpoint,
  type Event,
  type HookpostOptions,
  type Page,
  type PageQuery,
  type PortalAccess,
  type SecretRotation,
  type SendOptions,
  type UpdateEndpoint,
} from "./client.js";
export { HookpostConnectionError, HookpostError, type HookpostErrorCode } from "./errors.js";
export { type RetryOptions } from "./retry.js";
export type { components, paths } from "./schema.js";
