/**
 * Starts every task only once all of them are queued behind one promise, so
 * they leave in the same tick instead of staggered by the loop that made them.
 */
export async function releaseTogether<T>(tasks: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const running = tasks.map((task) => gate.then(task));
  release();
  return Promise.all(running);
}

/** Fisher-Yates with a seeded generator, so a failing order can be replayed. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
