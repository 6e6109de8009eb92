// A per-endpoint cap on concurrent requests within one worker process, so
// one slow or hanging consumer cannot occupy every worker slot and starve
// the healthy ones. With several worker processes the cap applies to each.
export class EndpointSlots {
  private readonly inUse = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** A release function when a slot is free, or undefined when the endpoint is at its cap. */
  tryAcquire(endpointId: string): (() => void) | undefined {
    const used = this.inUse.get(endpointId) ?? 0;
    if (used >= this.limit) return undefined;
    this.inUse.set(endpointId, used + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const remaining = (this.inUse.get(endpointId) ?? 1) - 1;
      if (remaining === 0) this.inUse.delete(endpointId);
      else this.inUse.set(endpointId, remaining);
    };
  }
}
