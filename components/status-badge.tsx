// Delivery status and attempt outcome as small coloured labels.
export function StatusBadge({ status }: { status: "succeeded" | "failed" | "pending" }) {
  const tone = status === "succeeded" ? "ok" : status === "failed" ? "bad" : "wait";
  return <span className={`badge ${tone}`}>{status}</span>;
}

export function OutcomeBadge({ statusCode, error }: { statusCode: number | null; error: string | null }) {
  if (statusCode !== null) {
    const ok = statusCode >= 200 && statusCode < 300;
    return <span className={`badge ${ok ? "ok" : "bad"}`}>{statusCode}</span>;
  }
  return <span className="badge bad">{error ?? "no response"}</span>;
}
