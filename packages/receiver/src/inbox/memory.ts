import type { Inbox } from "./types.js";

const ignore = (): void => undefined;

/**
 * An inbox held in this process's memory, for development and examples. It
 * deduplicates concurrent and repeated copies within one process, but
 * forgets everything on restart, is not shared between replicas, has no
 * transaction around the handler's writes, and grows with every id.
 */
export function createMemoryInbox(): Inbox<undefined> {
  const processed = new Set<string>();
  const running = new Map<string, Promise<unknown>>();

  return {
    async ensureTable() {
      // Nothing to create.
    },

    async process(delivery, handler) {
      // Same outcome as the database inbox: a copy that arrives while
      // another runs waits for it, then is a duplicate if that one succeeded
      // or runs the handler itself if it failed.
      for (;;) {
        if (processed.has(delivery.id)) return { status: "duplicate" };
        const inFlight = running.get(delivery.id);
        if (inFlight === undefined) break;
        // That copy's failure is reported to its own caller.
        await inFlight.then(ignore, ignore);
      }

      const attempt = (async () => {
        const value = await handler(undefined, delivery);
        processed.add(delivery.id);
        return value;
      })();
      running.set(delivery.id, attempt);
      try {
        return { status: "processed", value: await attempt };
      } finally {
        running.delete(delivery.id);
      }
    },
  };
}
