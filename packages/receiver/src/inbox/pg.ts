import type { PoolClient } from "pg";
import { DEFAULT_INBOX_TABLE, claimSql, inboxTableSql } from "./table.js";
import type { Inbox } from "./types.js";

/** A `pg.Pool`, or a pool with the same promise API. */
export interface PgPool {
  connect(): Promise<PoolClient>;
}

export interface PgInboxOptions {
  /** Defaults to "webhook_inbox"; may be "schema.table". */
  table?: string;
}

/**
 * An inbox in the consumer's PostgreSQL through node-postgres. The handler
 * gets the transaction's client and must do all its writes with it: writes
 * through the pool would commit on their own, outside the exactly-once
 * guarantee, and could wait for a connection that a blocked duplicate holds.
 */
export function createPgInbox(pool: PgPool, options: PgInboxOptions = {}): Inbox<PoolClient> {
  const table = options.table ?? DEFAULT_INBOX_TABLE;
  const claim = claimSql(table);

  return {
    async ensureTable() {
      const client = await pool.connect();
      try {
        await client.query(inboxTableSql(table));
      } finally {
        client.release();
      }
    },

    async process(delivery, handler) {
      const client = await pool.connect();
      let connectionBroken: Error | undefined;
      try {
        // Pinned because ON CONFLICT DO NOTHING only waits-then-skips under
        // READ COMMITTED; under REPEATABLE READ or SERIALIZABLE (a possible
        // database default) the waiting copy fails with a serialization error.
        await client.query("BEGIN ISOLATION LEVEL READ COMMITTED");
        const claimed = await client.query(claim, [delivery.id]);
        if (claimed.rowCount === 0) {
          await client.query("ROLLBACK");
          return { status: "duplicate" };
        }
        const value = await handler(client, delivery);
        const committed = await client.query("COMMIT");
        // A handler that caught a failed statement leaves the transaction
        // aborted, and PostgreSQL answers COMMIT with a silent ROLLBACK.
        // Reporting success then would lose the event: the sender stops
        // retrying while neither the claim nor the writes were kept.
        if (committed.command !== "COMMIT") {
          throw new Error(
            `Transaction for webhook ${delivery.id} was rolled back at COMMIT: a statement in the handler failed`,
          );
        }
        return { status: "processed", value };
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          // The original error is the one the caller needs; a connection that
          // cannot roll back is destroyed instead of going back to the pool.
          connectionBroken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        client.release(connectionBroken);
      }
    },
  };
}
