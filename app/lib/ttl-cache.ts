import type { Clock } from "./clock";

/**
 * Values a hot path reads on every request and that change rarely (which shop owns a number, a
 * shop's channel settings, a shop's catalogue), kept `ttlMs` per key. Concurrent misses of one key share one load: when
 * an entry expired under 1,000 webhooks a second, every request in flight ran its own query (one
 * `npm run bench` run read the number's owner 39 times and the shop's settings 34 times, where 2
 * and 2 would do) and the database pool opened new connections for them (4 at once, PostgreSQL's
 * connection log). Now they wait for one query each.
 *
 * `clear()` forgets everything at once, including loads under way: what they read may predate the
 * change the caller has just made, so they are not stored. A failed load is not stored either; its
 * waiters get the error and the next read tries again.
 */
export interface TtlCache<V> {
  get(key: string, load: () => Promise<V>): Promise<V>;
  clear(): void;
}

export function createTtlCache<V>(options: {
  clock: Clock;
  ttlMs: number;
  /** Bound on the keys kept (webhooks naming unknown numbers must not grow it without end): full, it starts again empty. */
  maxEntries?: number;
}): TtlCache<V> {
  const maxEntries = options.maxEntries ?? 10_000;
  const entries = new Map<string, { value: V; until: number }>();
  const loading = new Map<string, Promise<V>>();
  let generation = 0;

  function loadOnce(key: string, load: () => Promise<V>): Promise<V> {
    const running = loading.get(key);
    if (running) return running;
    const startedIn = generation;
    const promise = load()
      .then((value) => {
        if (startedIn === generation) {
          if (entries.size >= maxEntries && !entries.has(key)) entries.clear();
          entries.set(key, { value, until: options.clock.now().getTime() + options.ttlMs });
        }
        return value;
      })
      .finally(() => {
        if (loading.get(key) === promise) loading.delete(key);
      });
    loading.set(key, promise);
    return promise;
  }

  return {
    get(key, load) {
      const entry = entries.get(key);
      if (entry && entry.until > options.clock.now().getTime()) return Promise.resolve(entry.value);
      return loadOnce(key, load);
    },
    clear() {
      entries.clear();
      loading.clear();
      generation++;
    },
  };
}
