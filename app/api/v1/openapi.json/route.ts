import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-dynamic";

// The API's description is public: clients and code generators read it without a key.
export const GET = (): Response => Response.json(openApiDocument());
