// Keeps customer-supplied endpoint URLs from reaching the operator's own
// network. Checked when an endpoint is saved and again on the addresses a
// name resolves to at connect time (see lib/sending/http-client.ts).
import ipaddr from "ipaddr.js";
import { ValidationError } from "../platform/errors";

export interface DestinationPolicy {
  allowPrivate: boolean;
  /** CIDRs reachable even when private destinations are refused. */
  allowedCidrs: string[];
}

type ParsedCidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

const cidrCache = new Map<string, ParsedCidr>();

function parseCidr(cidr: string): ParsedCidr {
  let parsed = cidrCache.get(cidr);
  if (!parsed) {
    parsed = ipaddr.parseCIDR(cidr);
    cidrCache.set(cidr, parsed);
  }
  return parsed;
}

/** Unwraps IPv4-mapped IPv6 (`::ffff:127.0.0.1`) so it is judged as the IPv4 it is. */
function normalise(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed;
}

/**
 * Whether an IP address may be connected to. Only globally routable unicast
 * is allowed by default: loopback, private, link-local (cloud metadata),
 * CGNAT, multicast, reserved, 0.0.0.0/8 and unique-local are refused.
 */
export function isAllowedAddress(address: string, policy: DestinationPolicy): boolean {
  if (!ipaddr.isValid(address)) return false;
  if (policy.allowPrivate) return true;
  const ip = normalise(address);
  if (ip.range() === "unicast") return true;
  return policy.allowedCidrs.some((cidr) => {
    const [range, bits] = parseCidr(cidr);
    return range.kind() === ip.kind() && ip.match(range, bits);
  });
}

/** The hostname of a URL as an IP literal, or undefined when it is a name. */
export function ipLiteral(hostname: string): string | undefined {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : undefined;
}

/**
 * Names that mean this machine: `localhost` and its subdomains (RFC 6761),
 * and the loopback aliases Debian's and Red Hat's /etc/hosts define.
 */
const LOOPBACK_NAMES = new Set(["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"]);

/**
 * Whether a URL's hostname names this machine. The WHATWG parser has
 * already lowercased it and decoded percent-escapes and full-width forms;
 * trailing dots are dropped here, since `localhost.` is the same name to a
 * resolver (an absolute name) and would otherwise slip past.
 */
export function isLoopbackName(hostname: string): boolean {
  const name = hostname.replace(/\.+$/, "");
  return LOOPBACK_NAMES.has(name) || name.endsWith(".localhost");
}

/**
 * Validates an endpoint URL as saved. The WHATWG parser already turns
 * `127.1`, `2130706433` and `0x7f000001` into `127.0.0.1`, so literal
 * tricks are judged on their canonical form.
 */
export function checkEndpointUrl(raw: string, policy: DestinationPolicy, field = "url"): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ValidationError("url must be an absolute http(s) URL", field);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError("url must use http or https", field);
  }
  if (url.username || url.password) {
    throw new ValidationError("url must not contain credentials", field);
  }
  if (!policy.allowPrivate) {
    const literal = ipLiteral(url.hostname);
    if (isLoopbackName(url.hostname) || (literal !== undefined && !isAllowedAddress(literal, policy))) {
      throw new ValidationError("url points to a private, loopback or link-local address", field);
    }
  }
  return url;
}
