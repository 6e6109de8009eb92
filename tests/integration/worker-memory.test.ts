// A worker that takes a large backlog at once keeps to its memory bound.
// Its queue runs many jobs side by side, and a job may name hundreds of
// deliveries (an ingestion batch fanned out): what the worker holds for the
// deliveries it has not started must stay small, or a burst of fan-out
// kills it with the events it had accepted still queued.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHookpost, type RunningHookpost } from "../support/hookpost";
import { startReceiver, type TestReceiver } from "../support/receiver";

const ENDPOINTS = 100;
const EVENTS = 300;

let hookpost: RunningHookpost;
let receiver: TestReceiver;

beforeAll(async () => {
  hookpost = await startHookpost();
  receiver = await startReceiver((_request, _index, res) => {
    // Slow enough that the worker cannot keep up with what it takes from the queue.
    setTimeout(() => res.writeHead(200).end("ok"), 20);
  });
});

afterAll(async () => {
  await hookpost?.stop();
  await receiver?.close();
});

describe("a backlog of fan-out jobs taken at once", () => {
  it(`delivers ${EVENTS * ENDPOINTS} deliveries without the worker running out of memory`, async () => {
    const app = (await (await hookpost.api("/apps", { body: { name: "Fan-out" } })).json()) as { id: string };
    for (let i = 0; i < ENDPOINTS; i++) {
      const created = await hookpost.api(`/apps/${app.id}/endpoints`, { body: { url: `${receiver.url}/e${i}` } });
      expect(created.status).toBe(201);
    }
    // Queued while the worker is down: each ingestion batch is one job, naming 100 deliveries per event.
    await hookpost.stopWorker();
    for (let i = 0; i < EVENTS; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, async (_, j) => {
          const response = await hookpost.api(`/apps/${app.id}/events`, {
            body: { eventType: "order.created", payload: { i: i + j } },
          });
          expect(response.status).toBe(202);
        }),
      );
    }
    const worker = await hookpost.startWorker();
    const died = new Promise<never>((_, reject) =>
      worker.once("exit", (code, signal) =>
        reject(new Error(`the worker exited (${code ?? signal}):\n${hookpost.workerLogs().slice(-2_000)}`)),
      ),
    );
    // Stopped at the end on purpose: only an exit before then fails the test.
    died.catch(() => {});
    await Promise.race([
      hookpost.waitForSucceeded(app.id, EVENTS * ENDPOINTS, "the backlog to be delivered", 120_000),
      died,
    ]);
    expect(worker.exitCode).toBeNull();
    expect(new Set(receiver.requests.map((request) => request.headers["webhook-id"])).size).toBe(EVENTS);
  }, 180_000);
});
