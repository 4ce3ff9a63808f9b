/**
 * Time comes from an injected clock, never from `Date.now()` in product code, so that the demo,
 * the evaluation and the tests can replay the seeds' story on Monday 2026-01-12.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at `start` and then advances in real time (demo, sandbox); `set` jumps. */
export interface OffsetClock extends Clock {
  set(at: Date): void;
}

export function createOffsetClock(start: Date, base: Clock = systemClock): OffsetClock {
  let offset = start.getTime() - base.now().getTime();
  return {
    now: () => new Date(base.now().getTime() + offset),
    set: (at) => {
      offset = at.getTime() - base.now().getTime();
    },
  };
}

/** A clock that only moves when told to (tests, evaluation). */
export interface ManualClock extends Clock {
  set(at: Date): void;
  advance(ms: number): void;
}

export function createManualClock(start: Date): ManualClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (at) => {
      current = at.getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}
