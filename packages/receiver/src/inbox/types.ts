/** What the inbox needs from a delivery: the key that is the same for every copy of one message. */
export interface InboxDelivery {
  id: string;
}

export type ProcessResult<T> =
  /** This call ran the handler and its transaction committed. */
  | { status: "processed"; value: T }
  /** Another copy was processed and committed already; the handler did not run. */
  | { status: "duplicate" };

/**
 * Runs a handler at most once per delivery id, and exactly once if the
 * sender retries until it gets a 2xx. `Tx` is what the handler writes with:
 * the transaction's `pg` client, the Prisma transaction client, or nothing
 * for the in-memory inbox.
 */
export interface Inbox<Tx> {
  process<D extends InboxDelivery, T>(
    delivery: D,
    handler: (tx: Tx, delivery: D) => Promise<T>,
  ): Promise<ProcessResult<T>>;
  /** Creates the inbox table if it is missing. Migrations can use `inboxTableSql()` instead. */
  ensureTable(): Promise<void>;
}
