import { ApiReference } from "@/components/api-reference";
import { Shell } from "@/components/topbar";
import { API_BASE_PATH, openApiDocument } from "@/lib/api/openapi";
import { requireOperator } from "@/lib/auth/page";

export const dynamic = "force-dynamic";

const EXAMPLE_BODY = `{"type":"invoice.paid","timestamp":"2026-12-05T21:40:12.345Z","data":{"invoice":42}}`;

const VERIFY = `import { verify } from "@hookpost/receiver";

// rawBody: the bytes as received, before any JSON parsing.
const event = verify(rawBody, request.headers, process.env.WEBHOOK_SECRET!);
// event.id: the webhook-id, the same on every retry of this event
// event.payload: { type, timestamp, data }`;

/** What a consumer's endpoint receives, beside the API that makes it happen. */
function WebhookFormat() {
  return (
    <section className="panel webhook-format" aria-labelledby="webhook-format">
      <h2 id="webhook-format">The webhooks your customers receive</h2>
      <p>
        Each event is POSTed to every subscribed endpoint, signed per{" "}
        <a href="https://www.standardwebhooks.com">Standard Webhooks</a>. An answer in the 2xx range acknowledges it;
        anything else, or none within the timeout, is retried on the retry schedule. Delivery is at least once:
        deduplicate on <code>webhook-id</code>.
      </p>
      <h3>Headers</h3>
      <dl className="facts">
        <dt>
          <code>webhook-id</code>
        </dt>
        <dd>The event&apos;s id, the same on every attempt.</dd>
        <dt>
          <code>webhook-timestamp</code>
        </dt>
        <dd>When this attempt was signed, in seconds since the epoch.</dd>
        <dt>
          <code>webhook-signature</code>
        </dt>
        <dd>
          <code>v1,</code> and the base64 HMAC-SHA256 of <code>{"<webhook-id>.<webhook-timestamp>.<body>"}</code>, keyed
          with the bytes of the endpoint&apos;s secret (the base64 after <code>whsec_</code>). During a rotation, one
          signature per secret, space-separated.
        </dd>
        <dt>
          <code>content-type</code>, <code>user-agent</code>
        </dt>
        <dd>
          <code>application/json</code> and <code>Hookpost/&lt;version&gt;</code>, plus the endpoint&apos;s own custom
          headers.
        </dd>
      </dl>
      <h3>Body</h3>
      <pre className="body">{EXAMPLE_BODY}</pre>
      <p className="muted">
        <code>data</code> is the payload byte for byte as it was sent to the API.
      </p>
      <h3>Verifying it</h3>
      <p>
        With the receiver library, <code>@hookpost/receiver</code> (<code>packages/receiver</code>), which also runs a
        handler exactly once per event through an inbox table in your own PostgreSQL:
      </p>
      <pre className="body">{VERIFY}</pre>
      <p className="muted">
        It refuses a bad signature and a timestamp more than 5 minutes away. The same format is in the reference below,
        under Webhooks.
      </p>
    </section>
  );
}

export default async function ApiDocsPage() {
  const caller = await requireOperator();
  return (
    <Shell caller={caller}>
      <h1>API reference</h1>
      <p className="subtitle">
        Every route of <code>{API_BASE_PATH}</code>, from the OpenAPI 3.1 document the API serves at{" "}
        <a href={`${API_BASE_PATH}/openapi.json`}>{API_BASE_PATH}/openapi.json</a>. Calls take an API key:{" "}
        <code>Authorization: Bearer &lt;key&gt;</code>.
      </p>
      <WebhookFormat />
      <section className="api-reference" aria-label="API reference">
        <ApiReference document={openApiDocument() as unknown as Record<string, unknown>} />
      </section>
    </Shell>
  );
}
