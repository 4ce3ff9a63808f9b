/**
 * The understander as services hand it to the engine: its models load with the first message it
 * is asked about, not when the process starts. The web process never runs the engine (the worker
 * does, or the web itself when it runs the jobs inline), and loading them there cost it about
 * 50 MB of heap for nothing: eld's n-gram tables alone are 41 MB (a heap profile of `npm run
 * bench`'s web process). Every full garbage collection of the web then had 116 MB of live objects
 * to mark instead of 64, with pauses of 20–100 ms (`--trace-gc`); one falling in the steady
 * 1,000/s run was enough to take its p99 past 3× the bare baseline's. `load()` lets the worker
 * load them when it starts, so that its first reply does not wait for them (about 0.5 s).
 *
 * Only types come from ./index here: importing it is what loads the models' modules.
 */
import type { Understander, Understanding, UnderstandContext } from "./index";

export interface LazyUnderstander {
  understand(text: string, ctx: UnderstandContext): Promise<Understanding>;
  /** Loads the models now (once; a load that failed is tried again on the next call). */
  load(): Promise<Understander>;
}

export function createLazyUnderstander(create: () => Promise<Understander> = defaultUnderstander): LazyUnderstander {
  let loading: Promise<Understander> | null = null;
  const load = () =>
    (loading ??= create().catch((error: unknown) => {
      loading = null;
      throw error;
    }));
  return {
    understand: async (text, ctx) => (await load()).understand(text, ctx),
    load,
  };
}

async function defaultUnderstander(): Promise<Understander> {
  const { createUnderstander } = await import("./index");
  return createUnderstander();
}
