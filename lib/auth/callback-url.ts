// Where a sign-in may send the browser next. A callback URL comes from the
// address bar, so anyone can craft one: it is resolved the way the browser
// will resolve it, and kept only when it stays on our own origin.

/**
 * `target` resolved against `origin` as a browser resolves a link, when it
 * lands on that origin; undefined otherwise. A plain prefix check is not
 * enough: browsers read `/\evil.example` as `//evil.example` and drop tabs
 * and newlines (`/%09/evil.example`), both of which leave the origin.
 */
export function sameOriginUrl(target: string, origin: string): URL | undefined {
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(target, base);
  } catch {
    return undefined;
  }
  return url.origin === base.origin ? url : undefined;
}

/** The path (with query and fragment) to go to after signing in on `origin`: `target`'s, or `/` when it leaves the origin. */
export function pathAfterSignIn(target: string, origin: string): string {
  const url = sameOriginUrl(target, origin);
  return url ? `${url.pathname}${url.search}${url.hash}` : "/";
}
