// Keyset pagination shared by every list: ids are time-sortable, so "the
// rows before this id" is an index range scan however deep the page is.
import { z } from "zod";
import { ValidationError } from "./errors";

export const MAX_PAGE_SIZE = 250;
export const DEFAULT_PAGE_SIZE = 50;

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export const pageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .meta({ description: "How many items the page holds at most" }),
  cursor: z
    .string()
    .min(1)
    .optional()
    .meta({ description: "The previous page's `nextCursor`; without it, the first page (newest first)" }),
});

/** The one result shape of every list, described for items of `item`'s schema; `id` names it in the API's description. */
export function pageSchema<Item extends z.ZodType>(item: Item, id: string) {
  return z
    .object({
      data: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .meta({ description: "Pass as `cursor` for the next (older) page; null on the last page" }),
    })
    .meta({ id });
}

export type PageQuery = z.infer<typeof pageQuerySchema>;

export function encodeCursor(lastId: string): string {
  return Buffer.from(lastId, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (!/^[a-z]+_[0-9A-Z]{26}$/.test(id)) throw new ValidationError("cursor is not valid", "cursor");
  return id;
}

/**
 * Turns `limit + 1` rows, newest first, into a page: the extra row only
 * tells whether another page exists.
 */
export function toPage<Row extends { id: string }, Out>(
  rows: Row[],
  limit: number,
  serialize: (row: Row) => Out,
): Page<Out> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    data: pageRows.map(serialize),
    nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}

/** The Prisma `where`/`orderBy`/`take` for one page, newest first. */
export function pageArgs(query: PageQuery) {
  return {
    where: query.cursor ? { id: { lt: decodeCursor(query.cursor) } } : {},
    orderBy: { id: "desc" as const },
    take: query.limit + 1,
  };
}
