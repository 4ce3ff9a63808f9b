import { describe, expect, it } from "vitest";
import { createManualClock } from "./clock";
import { createTtlCache } from "./ttl-cache";

/** Loads that record each call and finish when told to (value or error). */
function controlledLoads() {
  const calls: string[] = [];
  const pending: Array<{ resolve: (value: string) => void; reject: (error: Error) => void }> = [];
  return {
    calls,
    load: (key: string) => () =>
      new Promise<string>((resolve, reject) => {
        calls.push(key);
        pending.push({ resolve, reject });
      }),
    finish: (value: string) => pending.shift()?.resolve(value),
    fail: (message: string) => pending.shift()?.reject(new Error(message)),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const TTL = 30_000;

function setup(options: { maxEntries?: number } = {}) {
  const clock = createManualClock(new Date("2026-01-12T09:00:00Z"));
  const cache = createTtlCache<string>({ clock, ttlMs: TTL, maxEntries: options.maxEntries });
  return { clock, cache, loads: controlledLoads() };
}

describe("createTtlCache", () => {
  it("shares one load between concurrent misses of a key, and answers from memory until ttlMs", async () => {
    const { clock, cache, loads } = setup();
    const waiting = Array.from({ length: 50 }, () => cache.get("+33939035761", loads.load("+33939035761")));
    const other = cache.get("+33100000000", loads.load("+33100000000"));
    expect(loads.calls).toEqual(["+33939035761", "+33100000000"]);
    loads.finish("shop A");
    loads.finish("shop B");
    expect(new Set(await Promise.all(waiting))).toEqual(new Set(["shop A"]));
    expect(await other).toBe("shop B");
    clock.advance(TTL - 1);
    expect(await cache.get("+33939035761", loads.load("+33939035761"))).toBe("shop A");
    expect(loads.calls).toHaveLength(2);
  });

  it("loads an expired entry again, once for all the reads waiting on it", async () => {
    const { clock, cache, loads } = setup();
    const first = cache.get("k", loads.load("k"));
    loads.finish("old");
    await first;
    clock.advance(TTL + 1);
    let answered = 0;
    const waiting = Array.from({ length: 20 }, () => cache.get("k", loads.load("k")).then((value) => (answered++, value)));
    await settle();
    expect(answered).toBe(0);
    expect(loads.calls).toEqual(["k", "k"]);
    loads.finish("new");
    expect(new Set(await Promise.all(waiting))).toEqual(new Set(["new"]));
    expect(await cache.get("k", loads.load("k"))).toBe("new");
    expect(loads.calls).toHaveLength(2);
  });

  it("gives a failed first load's error to each of its waiters and stores nothing", async () => {
    const { cache, loads } = setup();
    const waiting = [cache.get("k", loads.load("k")), cache.get("k", loads.load("k"))];
    loads.fail("connection refused");
    for (const read of waiting) await expect(read).rejects.toThrow("connection refused");
    const again = cache.get("k", loads.load("k"));
    expect(loads.calls).toHaveLength(2);
    loads.finish("found");
    expect(await again).toBe("found");
  });

  it("does not store what a load under way at clear() read: it may predate the change that cleared", async () => {
    const { cache, loads } = setup();
    const before = cache.get("k", loads.load("k"));
    cache.clear();
    loads.finish("before the change");
    expect(await before).toBe("before the change");
    const after = cache.get("k", loads.load("k"));
    expect(loads.calls).toHaveLength(2);
    loads.finish("after the change");
    expect(await after).toBe("after the change");
    expect(await cache.get("k", loads.load("k"))).toBe("after the change");
    expect(loads.calls).toHaveLength(2);
  });

  it("keeps at most maxEntries keys", async () => {
    const { cache, loads } = setup({ maxEntries: 2 });
    for (const key of ["a", "b", "c"]) {
      const read = cache.get(key, loads.load(key));
      loads.finish(key.toUpperCase());
      await read;
    }
    // Full at "c": it started again empty, so "a" is read again and "c" is not.
    const a = cache.get("a", loads.load("a"));
    loads.finish("A");
    await a;
    await cache.get("c", loads.load("c"));
    expect(loads.calls).toEqual(["a", "b", "c", "a"]);
  });
});
