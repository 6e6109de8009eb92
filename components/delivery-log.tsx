// The endpoint log's data, read on the server: rendered inside a Suspense
// boundary so the rest of the endpoint page shows while it loads, and read
// again each time the live page refreshes.
import { getDb } from "@/lib/platform/db";
import { readEndpointLog } from "@/lib/dashboard/deliveries";
import { ValidationError } from "@/lib/platform/errors";
import type { LogFilter } from "@/lib/dashboard/log-filter";
import { DeliveryLogTable } from "./delivery-log-table";

export async function DeliveryLog({
  appId,
  endpointId,
  filter,
}: {
  appId: string;
  endpointId: string;
  filter: LogFilter;
}) {
  let log;
  try {
    log = await readEndpointLog(getDb(), appId, endpointId, filter);
  } catch (error) {
    // A hand-edited address (a cursor that is not one): say so instead of failing the page.
    if (!(error instanceof ValidationError)) throw error;
    return <p className="form-error">This view cannot be shown: {error.message}.</p>;
  }
  return (
    <DeliveryLogTable
      appId={appId}
      basePath={`/apps/${appId}/endpoints/${endpointId}`}
      page={log.page}
      recent={log.recent}
      filter={filter}
    />
  );
}
