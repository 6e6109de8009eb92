import { apiRoute, json } from "@/lib/api/route";
import type { EndpointSecret } from "@/lib/endpoints/endpoints";
import { revealSecret } from "@/lib/endpoints/reveal-secret";
import { getUseCaseDeps } from "@/lib/platform/web-runtime";

export const GET = apiRoute<{ appId: string; endpointId: string }>(async ({ params, caller }) =>
  json({ key: await revealSecret(getUseCaseDeps(), caller, params) } satisfies EndpointSecret),
);
