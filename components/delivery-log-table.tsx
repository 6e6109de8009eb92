"use client";
// The endpoint log: a TanStack Table in manual mode. The server filters,
// sorts and paginates (keyset, by delivery id); this component only turns
// the view state into the URL, so any view can be shared as a link.
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
import { useMemo, useTransition, type FormEvent } from "react";
import type { DeliveryRow } from "@/lib/dashboard/deliveries";
import { CODE_CLASSES, logFilterToSearch, STATUS_FILTERS, type LogFilter } from "@/lib/dashboard/log-filter";
import type { Page } from "@/lib/platform/pagination";
import { OutcomeBadge, StatusBadge } from "./status-badge";
import { TimeAgo } from "./time-ago";
import { fromInputValue, toInputValue, useTimeZone } from "./time-zone";

const features = tableFeatures({ rowSortingFeature, rowPaginationFeature, columnFilteringFeature });

const FILTER_KEYS = ["status", "eventType", "code", "from", "to", "q"] as const;

function resolve<T>(updater: Updater<T>, old: T): T {
  return typeof updater === "function" ? (updater as (old: T) => T)(old) : updater;
}

export function DeliveryLogTable({
  appId,
  basePath,
  page,
  filter,
}: {
  appId: string;
  basePath: string;
  page: Page<DeliveryRow>;
  filter: LogFilter;
}) {
  const router = useRouter();
  const { zone, label: zoneLabel } = useTimeZone();
  const [loading, startTransition] = useTransition();
  const go = (next: Partial<LogFilter>) =>
    startTransition(() => router.push(`${basePath}${logFilterToSearch(next)}`, { scroll: false }));
  const base = { ...filter, cursor: undefined };

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
    data: page.data,
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
              <tr key={row.id} data-delivery-id={row.id}>
                {row.getAllCells().map((cell) => (
                  <td key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {page.data.length === 0 && (
          <div className="empty">{filtered ? "No deliveries match these filters." : "No deliveries yet."}</div>
        )}
      </TableScroller>
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
        {page.nextCursor ? (
          <button type="button" onClick={() => go({ ...filter, cursor: page.nextCursor ?? undefined })}>
            {filter.sort === "desc" ? "Older" : "Newer"}
          </button>
        ) : (
          <span />
        )}
      </div>
    </div>
  );
}
