// Secrets that rotations replaced and that still sign until their own overlap
// ends. An endpoint keeps them on its row as JSON, [{secret, expiresAt}],
// newest first, each secret sealed like the current one: the worker loads
// them with each delivery in the statement it already makes, no join.
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import type { Db } from "../platform/db";
import type { Logger } from "../platform/logger";
import { runPeriodically, type Periodic } from "../platform/periodic";

/**
 * How many rotated-out secrets sign alongside the current one: a request
 * carries at most five signatures, so a receiver's work per request stays
 * bounded however often a secret is rotated.
 */
export const MAX_PREVIOUS_SECRETS = 4;

export interface PreviousSecret {
  /** Sealed (lib/endpoints/secrets.ts). */
  secret: string;
  expiresAt: Date;
}

const storedSchema = z.array(z.object({ secret: z.string().min(1), expiresAt: z.iso.datetime() }));

/** The list as stored on the endpoint row; a malformed value fails loudly rather than signing with fewer secrets. */
export function readPreviousSecrets(stored: Prisma.JsonValue): PreviousSecret[] {
  // Most endpoints have none: no validation on the worker's hot path for them.
  if (Array.isArray(stored) && stored.length === 0) return [];
  const parsed = storedSchema.safeParse(stored);
  if (!parsed.success) throw new Error(`endpoint previousSecrets is malformed: ${z.prettifyError(parsed.error)}`);
  return parsed.data.map((entry) => ({ secret: entry.secret, expiresAt: new Date(entry.expiresAt) }));
}

export function storePreviousSecrets(secrets: PreviousSecret[]): Prisma.InputJsonArray {
  return secrets.map((entry) => ({ secret: entry.secret, expiresAt: entry.expiresAt.toISOString() }));
}

/** Those still in their overlap at `now`, newest first. */
export function livePreviousSecrets(secrets: PreviousSecret[], now: Date): PreviousSecret[] {
  return secrets.filter((entry) => entry.expiresAt > now);
}

export interface Retirement {
  /** The new list: the replaced secret first, then those still in their overlap. */
  kept: PreviousSecret[];
  /** Still in their overlap, but over MAX_PREVIOUS_SECRETS: the oldest, which stop signing now. */
  dropped: PreviousSecret[];
}

/**
 * The list after a rotation at `now` retires `replaced`: expired secrets are
 * pruned, and if more than MAX_PREVIOUS_SECRETS remain, the oldest go. The
 * rotation itself is never refused, since it is how a leaked secret is
 * replaced; the caller reports what was dropped (docs/security.md).
 */
export function retireSecret(secrets: PreviousSecret[], replaced: PreviousSecret, now: Date): Retirement {
  const live = [replaced, ...livePreviousSecrets(secrets, now)];
  return { kept: live.slice(0, MAX_PREVIOUS_SECRETS), dropped: live.slice(MAX_PREVIOUS_SECRETS) };
}

/**
 * Removes every rotated-out secret whose overlap has ended, so the database
 * keeps no secret that no longer signs. Computed inside the UPDATE, so a
 * rotation committed meanwhile is re-read rather than overwritten.
 */
export async function pruneExpiredSecrets(db: Db): Promise<number> {
  return db.$executeRaw`
    UPDATE endpoints e
    SET previous_secrets = COALESCE(
      (SELECT jsonb_agg(s.entry ORDER BY s.n)
       FROM jsonb_array_elements(e.previous_secrets) WITH ORDINALITY AS s(entry, n)
       WHERE (s.entry->>'expiresAt')::timestamptz > now()),
      '[]'::jsonb)
    WHERE e.previous_secrets <> '[]'::jsonb
      AND EXISTS (SELECT 1 FROM jsonb_array_elements(e.previous_secrets) AS s(entry)
                  WHERE (s.entry->>'expiresAt')::timestamptz <= now())`;
}

/** Prunes every `intervalMs` until stopped (the worker's). */
export function startSecretPruner(db: Db, logger: Logger, intervalMs: number): Periodic {
  return runPeriodically(
    intervalMs,
    async () => {
      const pruned = await pruneExpiredSecrets(db);
      if (pruned > 0) logger.debug({ endpoints: pruned }, "pruned expired rotated-out secrets");
    },
    (error) => logger.warn({ err: error }, "pruning expired secrets failed; retrying next interval"),
  );
}
