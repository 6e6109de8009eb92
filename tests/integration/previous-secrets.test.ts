// Where rotated-out signing secrets are stored: the migration that moved
// an endpoint's one previous secret into its list, and key rotation of the
// encryption at rest (`secrets reseal`), which must cover every one of them.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { resealEndpointSecrets } from "../../lib/endpoints/endpoints";
import { createSecretBox, generateKeyEntry } from "../../lib/endpoints/secret-box";
import { generateSecret } from "../../lib/sending/signing";
import { dropDatabase, ensureDatabase } from "../../scripts/services";
import { POSTGRES_URL, uniqueName } from "../support/services";

// The keys as `secrets reseal` sees them after a new key was put first; set
// before anything reads the configuration, which is read once per process.
const oldKey = generateKeyEntry("k1");
const newKey = generateKeyEntry("k2");
process.env.SECRETS_ENCRYPTION_KEYS = `${newKey},${oldKey}`;

const MIGRATIONS = "prisma/migrations";
const MIGRATION = "20261205020000_previous_secrets";

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/**
 * A database of its own with the migrations before `until` applied (all
 * without it), as plain SQL: `prisma migrate deploy` cannot stop before one.
 */
async function databaseMigratedUntil(until?: string) {
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${uniqueName("hookpost_secrets")}`;
  await ensureDatabase(url.toString());
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  cleanups.push(async () => {
    await client.end();
    await dropDatabase(url.toString());
  });
  const migrations = readdirSync(MIGRATIONS)
    .filter((name) => /^\d{14}_/.test(name) && (until === undefined || name < until))
    .sort();
  for (const name of migrations) await applyMigration(client, name);
  return { url: url.toString(), client };
}

async function applyMigration(client: pg.Client, name: string) {
  await client.query(readFileSync(join(MIGRATIONS, name, "migration.sql"), "utf8"));
}

describe("the migration to a list of rotated-out secrets", () => {
  it("keeps each endpoint's previous secret, sealed as it was, with its expiry", async () => {
    const { client } = await databaseMigratedUntil(MIGRATION);
    await client.query(`INSERT INTO apps (id, name) VALUES ('app_1', 'Acme')`);
    await client.query(
      `INSERT INTO endpoints (id, app_id, url, secret, previous_secret, previous_secret_expires_at, updated_at)
       VALUES ('ep_rotated', 'app_1', 'https://example.com', 'enc:v1:k1:current', 'enc:v1:k1:previous',
               '2026-12-06T10:20:30.456Z', now()),
              ('ep_plain', 'app_1', 'https://example.com', 'enc:v1:k1:only', NULL, NULL, now())`,
    );
    await applyMigration(client, MIGRATION);

    const { rows } = await client.query<{ id: string; secret: string; previous_secrets: unknown }>(
      `SELECT id, secret, previous_secrets FROM endpoints ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: "ep_plain", secret: "enc:v1:k1:only", previous_secrets: [] },
      {
        id: "ep_rotated",
        secret: "enc:v1:k1:current",
        previous_secrets: [{ secret: "enc:v1:k1:previous", expiresAt: "2026-12-06T10:20:30.456Z" }],
      },
    ]);
    const columns = await client.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'endpoints' AND column_name LIKE 'previous%'`,
    );
    expect(columns.rows).toEqual([{ column_name: "previous_secrets" }]);
  });
});

describe("secrets reseal", () => {
  it("re-encrypts the current secret and every rotated-out one still signing, and drops expired ones", async () => {
    const { url } = await databaseMigratedUntil();
    const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    cleanups.unshift(() => db.$disconnect());
    const oldBox = createSecretBox(oldKey);
    const current = generateSecret();
    const rotatedOut = [generateSecret(), generateSecret()];
    const future = new Date(Date.now() + 3600_000).toISOString();
    const past = new Date(Date.now() - 1000).toISOString();
    await db.app.create({ data: { id: "app_1", name: "Acme" } });
    await db.endpoint.create({
      data: {
        id: "ep_1",
        appId: "app_1",
        url: "https://example.com",
        secret: oldBox.encrypt(current),
        previousSecrets: [
          { secret: oldBox.encrypt(rotatedOut[0]!), expiresAt: future },
          { secret: oldBox.encrypt(rotatedOut[1]!), expiresAt: future },
          { secret: oldBox.encrypt(generateSecret()), expiresAt: past },
        ],
      },
    });

    expect(await resealEndpointSecrets(db)).toBe(1);

    // Readable with the new key alone: the old one can be removed.
    const newBox = createSecretBox(newKey);
    const endpoint = await db.endpoint.findUniqueOrThrow({ where: { id: "ep_1" } });
    const stored = endpoint.previousSecrets as Array<{ secret: string; expiresAt: string }>;
    for (const sealed of [endpoint.secret, ...stored.map((entry) => entry.secret)]) {
      expect(sealed.startsWith("enc:v1:k2:")).toBe(true);
    }
    expect(newBox.decrypt(endpoint.secret)).toBe(current);
    expect(stored.map((entry) => [newBox.decrypt(entry.secret), entry.expiresAt])).toEqual([
      [rotatedOut[0], future],
      [rotatedOut[1], future],
    ]);
  });
});
