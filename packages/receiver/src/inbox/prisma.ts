import { DEFAULT_INBOX_TABLE, claimSql, inboxTableSql } from "./table.js";
import type { Inbox } from "./types.js";

/** The part of a Prisma transaction client the inbox uses. */
export interface PrismaRawExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

export interface PrismaTransactionOptions {
  /** See createPgInbox: the claim needs READ COMMITTED to wait-then-skip. */
  isolationLevel?: "ReadCommitted";
  /** How long to wait for a connection from Prisma's pool (ms). */
  maxWait?: number;
  /**
   * How long the whole transaction may run (ms). A duplicate waits inside
   * its transaction until the first copy commits, so this must cover the
   * slowest handler plus that wait.
   */
  timeout?: number;
}

/**
 * The two things used from a PrismaClient: an interactive `$transaction`
 * and raw execution. Typed structurally so the package does not depend on
 * a generated client; any PrismaClient (with or without extensions) fits.
 */
export interface PrismaClientLike<Tx extends PrismaRawExecutor> extends PrismaRawExecutor {
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: PrismaTransactionOptions): Promise<R>;
}

export interface PrismaInboxOptions {
  /** Defaults to "webhook_inbox"; may be "schema.table". */
  table?: string;
  /** Defaults: Prisma's own (maxWait 2 s, timeout 5 s). */
  transactionOptions?: Omit<PrismaTransactionOptions, "isolationLevel">;
}

/**
 * An inbox on a PrismaClient. The handler gets the interactive transaction
 * client and must write through it, for the same reason as in createPgInbox.
 * The table is outside the Prisma schema on purpose: add `inboxTableSql()`
 * to a migration, or call `ensureTable()` at startup.
 */
export function createPrismaInbox<Tx extends PrismaRawExecutor>(
  prisma: PrismaClientLike<Tx>,
  options: PrismaInboxOptions = {},
): Inbox<Tx> {
  const table = options.table ?? DEFAULT_INBOX_TABLE;
  const claim = claimSql(table);
  const transactionOptions: PrismaTransactionOptions = {
    ...options.transactionOptions,
    isolationLevel: "ReadCommitted",
  };

  return {
    async ensureTable() {
      await prisma.$executeRawUnsafe(inboxTableSql(table));
    },

    async process(delivery, handler) {
      // Returning (not throwing) on a duplicate commits an empty transaction;
      // throwing from the handler rolls back the claim with its writes.
      return prisma.$transaction(async (tx) => {
        const claimed = await tx.$executeRawUnsafe(claim, delivery.id);
        if (claimed === 0) return { status: "duplicate" } as const;
        const value = await handler(tx, delivery);
        // A handler that caught a failed statement leaves the transaction
        // aborted, and Prisma then "commits" without error while PostgreSQL
        // rolls everything back: the sender would get a 2xx for an event
        // that was never kept. Any statement fails in an aborted transaction,
        // so this one turns that case into an error and a retry.
        await tx.$executeRawUnsafe("SELECT 1");
        return { status: "processed", value } as const;
      }, transactionOptions);
    },
  };
}
