// A webhook receiver to point Hookpost (or any Standard Webhooks sender) at:
//
//   WEBHOOK_SECRET=whsec_... npx tsx examples/receiver/server.ts
//
// It accepts POST on any path, answers 204 for a verified event (once
// processed, or as a duplicate), 401 for a bad signature or stale timestamp,
// and logs each event. With DATABASE_URL set, events are deduplicated in
// PostgreSQL (table webhook_inbox, created at startup); without it, in memory.
import { createServer } from "node:http";
import pg from "pg";
import {
  createMemoryInbox,
  createNodeHandler,
  createPgInbox,
  type Inbox,
  type ReceiverOptions,
  type VerifiedWebhook,
} from "../../packages/receiver/src/index.js";

// Plain checks rather than zod: the example depends only on the receiver
// package (and pg), so it can be copied out of the repository whole.
function readConfig(): { port: number; secrets: string; databaseUrl: string | undefined } {
  const secrets = process.env.WEBHOOK_SECRET?.trim();
  if (!secrets) {
    throw new Error(
      "WEBHOOK_SECRET is required: the endpoint's signing secret (whsec_...), or several separated by commas during a rotation.",
    );
  }
  const portText = process.env.PORT ?? "4000";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${portText}".`);
  }
  return { port, secrets, databaseUrl: process.env.DATABASE_URL || undefined };
}

function summarize(event: VerifiedWebhook): string {
  const payload = event.payload as { type?: unknown } | null;
  const type = typeof payload?.type === "string" ? payload.type : "(no type)";
  return `${event.id} ${type} sent ${event.timestamp.toISOString()}`;
}

function receiverOptions<Tx>(secrets: string, inbox: Inbox<Tx>): ReceiverOptions<Tx> {
  return {
    secrets,
    inbox,
    handle: (event) => {
      // A real consumer writes here, through the transaction it is given
      // as the second argument, so its writes and the inbox record commit
      // or roll back together.
      console.log(`processed ${summarize(event)}: ${JSON.stringify(event.payload)}`);
      return Promise.resolve();
    },
    onDuplicate: (event) => console.log(`duplicate ${summarize(event)}: already processed, not run again`),
    onError: (error, context) => {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      console.error(`answered ${context.status} for ${context.webhookId ?? "a request"}: ${reason}`);
    },
  };
}

async function createHandler(
  config: ReturnType<typeof readConfig>,
): Promise<{ handler: ReturnType<typeof createNodeHandler>; pool?: pg.Pool }> {
  if (!config.databaseUrl) {
    const handler = createNodeHandler(receiverOptions(config.secrets, createMemoryInbox()));
    console.warn(
      "DATABASE_URL is not set: duplicates are detected in memory only, forgotten on restart and not shared between instances.",
    );
    return { handler };
  }
  const pool = new pg.Pool({ connectionString: config.databaseUrl });
  pool.on("error", (error) => console.error("idle PostgreSQL connection failed:", error));
  const inbox = createPgInbox(pool);
  await inbox.ensureTable();
  return { handler: createNodeHandler(receiverOptions(config.secrets, inbox)), pool };
}

let config: ReturnType<typeof readConfig>;
let handler: ReturnType<typeof createNodeHandler>;
let pool: pg.Pool | undefined;
try {
  config = readConfig();
  ({ handler, pool } = await createHandler(config));
} catch (error) {
  // Configuration and database problems are the operator's to fix: the
  // message says what, a stack trace would only bury it.
  console.error(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const server = createServer((req, res) => {
  handler(req, res).catch((error: unknown) => {
    console.error(`${req.method} ${req.url} failed:`, error);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});

server.listen(config.port, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  console.log(`webhook receiver listening on http://localhost:${port} (${pool ? "PostgreSQL" : "in-memory"} inbox)`);
});

async function shutdown(signal: string): Promise<void> {
  console.log(`${signal}: closing`);
  // Stop taking requests and let those in flight finish before the pool goes.
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  await pool?.end();
}
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error("shutdown failed:", error);
        process.exit(1);
      },
    );
  });
}
