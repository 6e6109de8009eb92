// Each test file gets a database of its own on the real PostgreSQL, dropped
// afterwards. An unreachable server fails the file with how to start it.
import { randomBytes } from "node:crypto";
import pg from "pg";

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

const HOW_TO_START =
  "Start PostgreSQL, e.g. `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` on Debian " +
  "(trust auth for user postgres on 127.0.0.1:5432), or point TEST_POSTGRES_URL at a server where that user may create databases.";

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    const redacted = POSTGRES_URL.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@");
    throw new Error(`PostgreSQL is not reachable at ${redacted} (${(error as Error).message}).\n${HOW_TO_START}`, {
      cause: error,
    });
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `hookpost_receiver_test_${randomBytes(6).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () =>
      admin((client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
