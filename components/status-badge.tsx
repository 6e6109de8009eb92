// Delivery status and attempt outcome as small coloured labels. Each way
// an attempt can fail has one label and one colour wherever it is shown.
import { failureClass, type FailureClass } from "@/lib/endpoints/health";

export function StatusBadge({ status }: { status: "succeeded" | "failed" | "pending" }) {
  const tone = status === "succeeded" ? "ok" : status === "failed" ? "bad" : "wait";
  return <span className={`badge ${tone}`}>{status}</span>;
}

/** What a failure without an HTTP status is called on its badge. */
const ERROR_LABELS: Record<FailureClass, string> = {
  DNS: "DNS error",
  TLS: "TLS error",
  timeout: "timeout",
  refused: "connection refused",
  reset: "connection reset",
  blocked: "forbidden destination",
  redirect: "redirect",
  "4xx": "4xx",
  "5xx": "5xx",
  network: "network error",
  probing: "not sent",
};

export function OutcomeBadge({ statusCode, error }: { statusCode: number | null; error: string | null }) {
  const failure = failureClass({ responseStatusCode: statusCode, error });
  if (!failure) return <span className="badge ok">{statusCode}</span>;
  const label = statusCode !== null ? String(statusCode) : ERROR_LABELS[failure];
  return (
    <span className={`badge fail fail-${failure.toLowerCase()}`} title={error ?? undefined}>
      {label}
    </span>
  );
}
