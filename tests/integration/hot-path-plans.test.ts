// The hot path's statements on the pool made for them (lib/platform/db.ts): planned
// once per connection, and by key, even when the plan is made while the
// tables are nearly empty, as in a fresh install. A plan made then that
// scanned a table whole would be kept as the table grew.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../lib/apps/apps";
import { createHotPathPool } from "../../lib/platform/db";
import { loadDeliveries, postponeDeliveries, recordRoutines } from "../../lib/deliveries/attempt-store";
import { createEndpoint } from "../../lib/endpoints/endpoints";
import { ingestEvents } from "../../lib/events/events";
import { newId } from "../../lib/platform/ids";
import { createTestDatabase, type TestDatabase } from "../support/services";

let database: TestDatabase;
/** One connection, so that every statement below runs in the session that prepared them. */
let session: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  session = createHotPathPool(database.url, 1);
});
afterAll(async () => {
  await session?.end();
  await database?.drop();
});

const HOT_STATEMENTS = ["ingest-events", "load-deliveries", "postpone-deliveries", "record-attempts"];

/** Runs each hot statement three times on a database of a few rows. */
async function runHotStatements() {
  const app = await createApp(database.db, { name: "plans" });
  const endpoint = await createEndpoint(
    database.db,
    app.id,
    { url: "http://127.0.0.1:9/plans", description: "", eventTypes: [], rateLimit: null },
    { allowPrivate: true, allowedCidrs: [] },
  );
  for (let round = 0; round < 3; round++) {
    const [result] = await ingestEvents(session, [
      { app, input: { eventType: "thing.happened", payload: { round } }, idempotencyKey: undefined },
    ]);
    const deliveryId = result!.deliveryIds[0]!;
    const [loaded] = await loadDeliveries(session, [deliveryId]);
    expect(loaded?.endpointId).toBe(endpoint.id);
    // Refused by its endpoint's cap for a second, then sent.
    await postponeDeliveries(session, [{ deliveryId, delayMs: 1000 }]);
    await recordRoutines(session, [
      {
        attempt: {
          id: newId("attempt"),
          deliveryId,
          endpointId: endpoint.id,
          responseStatusCode: 200,
          responseBody: "ok",
          error: null,
          errorDetail: null,
          durationMs: 2,
          succeeded: true,
          requestHeaders: {},
          traceId: null,
          createdAt: new Date(),
        },
        attemptNumber: 1,
        outcome: "succeeded",
        next: undefined,
      },
    ]);
  }
}

describe("the hot-path pool", () => {
  beforeAll(runHotStatements);

  it("plans each hot statement once, generically, instead of on every call", async () => {
    const { rows } = await session.query<{ name: string; generic_plans: string; custom_plans: string }>(
      "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements WHERE name = ANY($1) ORDER BY name",
      [HOT_STATEMENTS],
    );
    expect(rows.map((row) => [row.name, Number(row.generic_plans), Number(row.custom_plans)])).toEqual(
      HOT_STATEMENTS.map((name) => [name, 3, 0]),
    );
  });

  it.each(HOT_STATEMENTS)("plans %s on a nearly empty database to read every table by key", async (name) => {
    const { rows: prepared } = await session.query<{ parameters: number }>(
      "SELECT cardinality(parameter_types) AS parameters FROM pg_prepared_statements WHERE name = $1",
      [name],
    );
    // Explained, not run, so no argument is needed: the generic plan is the same for any.
    const nulls = Array.from({ length: prepared[0]!.parameters }, () => "NULL").join(", ");
    const { rows } = await session.query<{ "QUERY PLAN": string }>(`EXPLAIN EXECUTE "${name}"(${nulls})`);
    const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
    expect(plan).toMatch(/Index (Only )?Scan/);
    expect(plan).not.toMatch(/Seq Scan|Hash Join|Merge Join|Materialize/);
  });
});
