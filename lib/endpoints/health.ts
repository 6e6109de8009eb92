// What the dashboard says about an endpoint that is failing: how it fails,
// in plain words, and how long until Hookpost disables it.
import type { Attempt, Endpoint } from "@prisma/client";

/** "probing": its attempts are held back but for a probe now and then (lib/sending/endpoint-breaker.ts). */
export type FailureClass =
  "DNS" | "TLS" | "timeout" | "refused" | "reset" | "blocked" | "redirect" | "4xx" | "5xx" | "network" | "probing";

export function failureClass(attempt: Pick<Attempt, "responseStatusCode" | "error">): FailureClass | undefined {
  const status = attempt.responseStatusCode;
  if (status !== null) {
    if (status >= 200 && status < 300) return undefined;
    if (status >= 300 && status < 400) return "redirect";
    return status < 500 ? "4xx" : "5xx";
  }
  switch (attempt.error) {
    case "dns":
      return "DNS";
    case "tls":
      return "TLS";
    case "timeout":
      return "timeout";
    case "connection_refused":
      return "refused";
    case "connection_reset":
      return "reset";
    case "forbidden_destination":
      return "blocked";
    case "endpoint_failing":
      return "probing";
    default:
      return "network";
  }
}

export interface EndpointWarning {
  failingSince: Date;
  /** When the endpoint will be disabled if nothing succeeds before. */
  disablesAt: Date;
  failureClass: FailureClass | undefined;
}

/** A warning for an enabled endpoint in a failure streak, else undefined. */
export function endpointWarning(
  endpoint: Pick<Endpoint, "disabled" | "failingSince">,
  lastAttempt: Pick<Attempt, "responseStatusCode" | "error"> | undefined,
  disableAfterMs: number,
): EndpointWarning | undefined {
  if (endpoint.disabled || !endpoint.failingSince) return undefined;
  return {
    failingSince: endpoint.failingSince,
    disablesAt: new Date(endpoint.failingSince.getTime() + disableAfterMs),
    failureClass: lastAttempt ? failureClass(lastAttempt) : undefined,
  };
}
