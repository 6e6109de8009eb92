export const DEFAULT_INBOX_TABLE = "webhook_inbox";

/**
 * The table name is spliced into SQL (identifiers cannot be bound as
 * parameters), so it is held to a plain identifier, optionally
 * schema-qualified, and quoted so reserved words still work. Lower case
 * only: quoted "Inbox" and an unquoted Inbox in the consumer's own
 * migration would be two different tables. Postgres truncates identifiers
 * beyond 63 bytes, which would silently point two names at one table.
 */
export function quoteTableName(table: string): string {
  const parts = table.split(".");
  if (parts.length > 2 || !parts.every((part) => /^[a-z_][a-z0-9_]{0,62}$/.test(part))) {
    throw new TypeError(
      `Inbox table name "${table}" must be a lower-case identifier (a-z, 0-9, _; at most 63 characters), optionally "schema.table"`,
    );
  }
  return parts.map((part) => `"${part}"`).join(".");
}

/** The migration for the inbox: one row per processed delivery id. */
export function inboxTableSql(table: string = DEFAULT_INBOX_TABLE): string {
  return `CREATE TABLE IF NOT EXISTS ${quoteTableName(table)} (
  id text PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
)`;
}

/**
 * Claims the id inside the handler's transaction. The primary key makes a
 * second concurrent INSERT of the same id wait for the first transaction:
 * if that one commits, this one does nothing (0 rows, a duplicate); if it
 * rolls back, this one inserts and its handler runs. Either way exactly one
 * committed transaction holds the id together with the handler's writes.
 */
export function claimSql(table: string): string {
  return `INSERT INTO ${quoteTableName(table)} (id) VALUES ($1) ON CONFLICT (id) DO NOTHING`;
}
