"use client";
// The endpoint log: a TanStack Table in manual mode. The server filters,
// sorts and paginates (keyset, by delivery id); this component only turns
// the view state into the URL, so any view can be shared as a link.
//
// While the page is live, each refresh brings the view's page again and the
// newest deliveries. The reader never loses their place: the first page,
// newest first, takes new rows at its top only while the top of the log is
// in view; scrolled into it, or on any other page, the rows shown stay where
// they are (their status, attempts and response still update) and a bar
// says how many new deliveries there are, to show when the reader asks.
import { TableScroller } from "./table-scroller";
import {
  columnFilteringFeature,
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type ColumnFiltersState,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, useTransition, type FormEvent } from "react";
import type { DeliveryRow } from "@/lib/dashboard/deliveries";
import {
  CODE_CLASSES,
  logFilterToSearch,
  RECENT_DELIVERIES,
  STATUS_FILTERS,
  type LogFilter,
} from "@/lib/dashboard/log-filter";
import type { Page } from "@/lib/platform/pagination";
import { OutcomeBadge, StatusBadge } from "./status-badge";
import { TimeAgo } from "./time-ago";
import { fromInputValue, toInputValue, useTimeZone } from "./time-zone";

const features = tableFeatures({ rowSortingFeature, rowPaginationFeature, columnFilteringFeature });

const FILTER_KEYS = ["status", "eventType", "code", "from", "to", "q"] as const;

const newestId = (rows: DeliveryRow[]) =>
  rows.reduce<string | null>((max, row) => (max === null || row.id > max ? row.id : max), null);

function resolve<T>(updater: Updater<T>, old: T): T {
  return typeof updater === "function" ? (updater as (old: T) => T)(old) : updater;
}

export function DeliveryLogTable({
  appId,
  basePath,
  page,
  recent,
  filter,
}: {
  appId: string;
  basePath: string;
  page: Page<DeliveryRow>;
  /** The newest deliveries matching the filters, newest first (at most RECENT_DELIVERIES). */
  recent: DeliveryRow[];
  filter: LogFilter;
}) {
  const router = useRouter();
  const { zone, label: zoneLabel } = useTimeZone();
  const [loading, startTransition] = useTransition();
  const go = (next: Partial<LogFilter>) =>
    startTransition(() => router.push(`${basePath}${logFilterToSearch(next)}`, { scroll: false }));
  const base = { ...filter, cursor: undefined };

  // Only the first page, newest first, is where new deliveries arrive at the top.
  const followsNewest = filter.cursor === undefined && filter.sort === "desc";
  const logTop = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState<Page<DeliveryRow>>(page);
  /** The newest delivery the reader has been shown, or that existed when they opened this view. */
  const [seen, setSeen] = useState<string | null>(() => newestId([...recent, ...page.data]));
  const [arrived, setArrived] = useState<ReadonlySet<string>>(new Set());

  function showPage(next: Page<DeliveryRow>) {
    const top = newestId(next.data);
    setArrived(new Set(next.data.filter((row) => seen !== null && row.id > seen).map((row) => row.id)));
    setShown(next);
    if (top !== null && (seen === null || top > seen)) setSeen(top);
  }

  // Each refresh of the live page hands over a new page and new recent rows.
  useEffect(() => {
    const scrolledIntoLog = (logTop.current?.getBoundingClientRect().top ?? 0) < 0;
    if (followsNewest && !scrolledIntoLog) {
      showPage(page);
      return;
    }
    if (!followsNewest) {
      // Any other page is a keyset range that new deliveries never enter.
      setShown(page);
      return;
    }
    const latest = new Map([...recent, ...page.data].map((row) => [row.id, row]));
    setShown((current) => ({ ...current, data: current.data.map((row) => latest.get(row.id) ?? row) }));
    // Runs on a new read only: showPage's state is the reader's, not a reason to run again.
  }, [page, recent]);

  const shownIds = new Set(shown.data.map((row) => row.id));
  const newer = recent.filter((row) => (seen === null || row.id > seen) && !shownIds.has(row.id)).length;
  function showNewer() {
    if (!followsNewest) {
      go({ ...base, sort: "desc" });
      return;
    }
    showPage(page);
    logTop.current?.scrollIntoView({ block: "start" });
  }

  const columns = useMemo<Array<ColumnDef<typeof features, DeliveryRow>>>(
    () => [
      {
        id: "created",
        header: "Created",
        accessorKey: "createdAt",
        enableSorting: true,
        cell: ({ row }) => (
          <Link href={`/apps/${appId}/deliveries/${row.original.id}`}>
            <TimeAgo iso={row.original.createdAt} />
          </Link>
        ),
      },
      {
        id: "status",
        header: "Status",
        accessorKey: "status",
        enableSorting: false,
        cell: ({ row }) => <StatusBadge status={row.original.status} />,
      },
      {
        id: "eventType",
        header: "Event type",
        accessorKey: "eventType",
        enableSorting: false,
        cell: ({ row }) => <span className="mono">{row.original.eventType}</span>,
      },
      {
        id: "event",
        header: "Event",
        accessorKey: "eventId",
        enableSorting: false,
        cell: ({ row }) => <span className="mono small nowrap">{row.original.externalId ?? row.original.eventId}</span>,
      },
      {
        id: "code",
        header: "Last response",
        accessorKey: "lastStatusCode",
        enableSorting: false,
        cell: ({ row }) =>
          row.original.attemptCount === 0 ? (
            <span className="muted">not yet</span>
          ) : (
            <OutcomeBadge statusCode={row.original.lastStatusCode} error={row.original.lastError} />
          ),
      },
      {
        id: "attempts",
        header: "Attempts",
        accessorKey: "attemptCount",
        enableSorting: false,
      },
    ],
    [appId],
  );

  const sorting: SortingState = [{ id: "created", desc: filter.sort === "desc" }];
  const columnFilters: ColumnFiltersState = FILTER_KEYS.filter((key) => filter[key] !== undefined).map((key) => ({
    id: key,
    value: filter[key],
  }));
  const table = useTable({
    features,
    columns,
    data: shown.data,
    getRowId: (row) => row.id,
    manualSorting: true,
    manualPagination: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    rowCount: -1,
    state: { sorting, columnFilters, pagination: { pageIndex: 0, pageSize: filter.limit } },
    onSortingChange: (updater) => {
      const next = resolve(updater, sorting)[0];
      go({ ...base, sort: next?.desc === false ? "asc" : "desc" });
    },
    onColumnFiltersChange: (updater) => {
      const next = resolve(updater, columnFilters);
      const values = Object.fromEntries(next.map((entry) => [entry.id, entry.value as string]));
      go({ limit: filter.limit, sort: filter.sort, ...values });
    },
  });

  function applyFilters(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
    };
    table.setColumnFilters(
      [
        { id: "status", value: text("status") },
        { id: "eventType", value: text("eventType") },
        { id: "code", value: text("code") },
        { id: "from", value: fromInputValue(form.get("from"), zone) || undefined },
        { id: "to", value: fromInputValue(form.get("to"), zone) || undefined },
        { id: "q", value: text("q") },
      ].filter((entry) => entry.value !== undefined),
    );
  }

  const filtered = columnFilters.length > 0;
  return (
    <div>
      <form className="filters" onSubmit={applyFilters} aria-label="Filter deliveries">
        <div className="field">
          <label htmlFor="f-status">Status</label>
          <select id="f-status" name="status" defaultValue={filter.status ?? ""}>
            <option value="">Any</option>
            {STATUS_FILTERS.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-code">HTTP status</label>
          <input
            id="f-code"
            name="code"
            list="f-code-classes"
            placeholder="503, 5xx, timeout"
            defaultValue={filter.code ?? ""}
          />
          <datalist id="f-code-classes">
            {CODE_CLASSES.map((code) => (
              <option key={code} value={code} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="f-type">Event type</label>
          <input id="f-type" name="eventType" defaultValue={filter.eventType ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="f-from">From ({zoneLabel})</label>
          <input
            key={zone}
            id="f-from"
            name="from"
            type="datetime-local"
            defaultValue={filter.from ? toInputValue(new Date(filter.from), zone) : ""}
          />
        </div>
        <div className="field">
          <label htmlFor="f-to">To ({zoneLabel})</label>
          <input
            key={zone}
            id="f-to"
            name="to"
            type="datetime-local"
            defaultValue={filter.to ? toInputValue(new Date(filter.to), zone) : ""}
          />
        </div>
        <div className="field">
          <label htmlFor="f-q">Event id</label>
          <input id="f-q" name="q" type="search" placeholder="msg_… or your eventId" defaultValue={filter.q ?? ""} />
        </div>
        <div className="field actions">
          <button type="submit">Apply</button>
          {filtered && (
            <button type="button" onClick={() => table.setColumnFilters([])}>
              Clear
            </button>
          )}
        </div>
      </form>
      <div ref={logTop} className="live-log">
        {newer > 0 && (
          <div className="new-rows" role="status">
            <button type="button" onClick={showNewer}>
              {newer}
              {newer >= RECENT_DELIVERIES ? "+" : ""} new {newer === 1 ? "delivery" : "deliveries"} —{" "}
              {followsNewest ? "show" : "show newest"}
            </button>
          </div>
        )}
        <TableScroller label="Deliveries" busy={loading}>
          <table>
            <thead>
              {table.getHeaderGroups().map((group) => (
                <tr key={group.id}>
                  {group.headers.map((header) => (
                    <th key={header.id}>
                      {header.column.getCanSort() ? (
                        <button
                          type="button"
                          className="link"
                          onClick={header.column.getToggleSortingHandler()}
                          aria-label={`Sort by creation time, now ${filter.sort === "desc" ? "newest" : "oldest"} first`}
                        >
                          <table.FlexRender header={header} /> {header.column.getIsSorted() === "asc" ? "↑" : "↓"}
                        </button>
                      ) : (
                        <table.FlexRender header={header} />
                      )}
                    </th>
                  ))}
                </tr>
              ))}
            </thead>
            <tbody>
              {table.getRowModel().rows.map((row) => (
                <tr key={row.id} data-delivery-id={row.id} className={arrived.has(row.id) ? "arrived" : undefined}>
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id}>
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {shown.data.length === 0 && (
            <div className="empty">{filtered ? "No deliveries match these filters." : "No deliveries yet."}</div>
          )}
        </TableScroller>
      </div>
      <div className="pager">
        {filter.cursor ? (
          <button type="button" onClick={() => go(base)}>
            {filter.sort === "desc" ? "Newest" : "Oldest"}
          </button>
        ) : (
          <span />
        )}
        {loading && (
          <span className="muted small" role="status">
            Loading…
          </span>
        )}
        {shown.nextCursor ? (
          <button type="button" onClick={() => go({ ...filter, cursor: shown.nextCursor ?? undefined })}>
            {filter.sort === "desc" ? "Older" : "Newer"}
          </button>
        ) : (
          <span />
        )}
      </div>
    </div>
  );
}
